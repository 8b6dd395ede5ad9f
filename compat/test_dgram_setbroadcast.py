# Node: test/parallel/test-dgram-setBroadcast.js
import re

import dgram_uv as dgram
from compat import common


def main() -> None:
    # Should throw EBADF if the socket is never bound.
    socket = dgram.create_socket('udp4')

    common.assert_throws(lambda: socket.set_broadcast(True),
                         re.compile(r'^Error: setBroadcast EBADF$'))

    # Can call setBroadcast() after binding the socket.
    bound = dgram.create_socket('udp4')

    def on_bound() -> None:
        bound.set_broadcast(True)
        bound.set_broadcast(False)
        bound.close()

    bound.bind(0, common.must_call(on_bound))


test_dgram_setbroadcast = common.node_test(__file__)
if __name__ == '__main__':
    common.run(main)
