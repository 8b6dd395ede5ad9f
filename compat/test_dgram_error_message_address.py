# Node: test/parallel/test-dgram-error-message-address.js
from typing import Any

import dgram_uv as dgram
from compat import common


def main() -> None:
    # IPv4 Test
    socket_ipv4 = dgram.create_socket('udp4')

    socket_ipv4.on('listening', common.must_not_call())

    def on_error4(e: Any) -> None:
        assert e.port is None  # undefined -> None
        assert e.message == 'bind EADDRNOTAVAIL 1.1.1.1'
        assert e.address == '1.1.1.1'
        assert e.code == 'EADDRNOTAVAIL'
        socket_ipv4.close()

    socket_ipv4.on('error', common.must_call(on_error4))

    socket_ipv4.bind(0, '1.1.1.1')

    # IPv6 Test
    socket_ipv6 = dgram.create_socket('udp6')

    socket_ipv6.on('listening', common.must_not_call())

    def on_error6(e: Any) -> None:
        # EAFNOSUPPORT or EPROTONOSUPPORT means IPv6 is disabled on this system.
        allowed = ['EADDRNOTAVAIL', 'EAFNOSUPPORT', 'EPROTONOSUPPORT']
        assert e.code in allowed, f"'{e.code}' was not one of {','.join(allowed)}."
        assert e.port is None
        assert e.message == f'bind {e.code} 111::1'
        assert e.address == '111::1'
        socket_ipv6.close()

    socket_ipv6.on('error', common.must_call(on_error6))

    socket_ipv6.bind(0, '111::1')


test_dgram_error_message_address = common.node_test(__file__)
if __name__ == '__main__':
    common.run(main)
