# Node: test/parallel/test-dgram-abort-closed.js
import dgram_uv as dgram
from compat import common


def main() -> None:
    controller = dgram.AbortController()
    socket = dgram.create_socket({'type': 'udp4', 'signal': controller.signal})
    socket.close()
    controller.abort()


test_dgram_abort_closed = common.node_test(__file__)
if __name__ == '__main__':
    common.run(main)
