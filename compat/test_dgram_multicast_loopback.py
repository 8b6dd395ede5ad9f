# Node: test/parallel/test-dgram-multicast-loopback.js
import re

import dgram_uv as dgram
from compat import common


def main() -> None:
    socket1 = dgram.create_socket('udp4')

    # Node's /^Error: setMulticastLoopback EBADF$/ matches String(err) == `${name}: ${message}`.
    common.assert_throws(lambda: socket1.set_multicast_loopback(16),
                         name='Error', message=re.compile(r'^setMulticastLoopback EBADF$'))

    socket2 = dgram.create_socket('udp4')

    socket2.bind(0)

    def on_listening() -> None:
        assert socket2.set_multicast_loopback(16) == 16
        assert socket2.set_multicast_loopback(0) == 0
        socket2.close()

    socket2.on('listening', common.must_call(on_listening))


test_dgram_multicast_loopback = common.node_test(__file__)
if __name__ == '__main__':
    common.run(main)
