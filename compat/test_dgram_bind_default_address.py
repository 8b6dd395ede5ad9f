# Node: test/parallel/test-dgram-bind-default-address.js
import math

import dgram_uv as dgram
from compat import common


def main() -> None:
    # (The FreeBSD-jail skip does not apply on Linux.)
    # `this` in the bind callback is the socket: a closure here.
    socket4 = dgram.create_socket('udp4')

    def on_bound4() -> None:
        port = socket4.address().port
        assert isinstance(port, int) and not isinstance(port, bool)
        assert math.isfinite(socket4.address().port)
        assert socket4.address().port > 0
        assert socket4.address().address == '0.0.0.0'
        socket4.close()

    socket4.bind(0, common.must_call(on_bound4))

    if not common.has_ipv6:
        print('1..0 # Skipped: udp6 part of test, because no IPv6 support')
        return

    socket6 = dgram.create_socket('udp6')

    def on_bound6() -> None:
        port = socket6.address().port
        assert isinstance(port, int) and not isinstance(port, bool)
        assert math.isfinite(socket6.address().port)
        assert socket6.address().port > 0
        address = socket6.address().address
        if address == '::ffff:0.0.0.0':
            address = '::'
        assert address == '::'
        socket6.close()

    socket6.bind(0, common.must_call(on_bound6))


test_dgram_bind_default_address = common.node_test(__file__)
if __name__ == '__main__':
    common.run(main)
