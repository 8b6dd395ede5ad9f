# Node: test/parallel/test-dgram-ref.js
import dgram_uv as dgram
from compat import common


def main() -> None:
    # Should not hang, see https://github.com/nodejs/node-v0.x-archive/issues/1282
    dgram.create_socket('udp4')
    dgram.create_socket('udp6')

    # Test the case of ref()'ing a socket with no handle.
    s = dgram.create_socket('udp4')

    s.close(common.must_call(lambda: s.ref()))


test_dgram_ref = common.node_test(__file__)
if __name__ == '__main__':
    common.run(main)
