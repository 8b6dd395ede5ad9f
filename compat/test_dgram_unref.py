# Node: test/parallel/test-dgram-unref.js
import dgram_uv as dgram
from compat import common


def main() -> None:
    # Test the case of unref()'ing a socket with a handle.
    s = dgram.create_socket('udp4')
    s.bind()
    s.unref()

    # Test the case of unref()'ing a socket with no handle.
    s2 = dgram.create_socket('udp4')

    s2.close(common.must_call(lambda: s2.unref()))

    dgram.set_timeout(common.must_not_call(), 1000).unref()


test_dgram_unref = common.node_test(__file__)
if __name__ == '__main__':
    common.run(main)
