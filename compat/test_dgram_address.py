# Node: test/parallel/test-dgram-address.js
import math

import dgram_uv as dgram
from compat import common


def main() -> None:
    # IPv4 Test
    socket4 = dgram.create_socket('udp4')

    def on_listening4() -> None:
        address = socket4.address()

        assert address.address == common.localhost_ipv4
        # typeof port === 'number': an int, never a bool.
        assert isinstance(address.port, int) and not isinstance(address.port, bool)
        assert math.isfinite(address.port)
        assert address.port > 0
        assert address.family == 'IPv4'
        socket4.close()

    socket4.on('listening', common.must_call(on_listening4))

    def on_error4(err: BaseException) -> None:
        socket4.close()
        raise AssertionError(f'Unexpected error on udp4 socket. {err}')

    socket4.on('error', on_error4)
    socket4.bind(0, common.localhost_ipv4)

    if common.has_ipv6:
        # IPv6 Test
        socket6 = dgram.create_socket('udp6')
        localhost = '::1'

        def on_listening6() -> None:
            address = socket6.address()

            assert address.address == localhost
            assert isinstance(address.port, int) and not isinstance(address.port, bool)
            assert math.isfinite(address.port)
            assert address.port > 0
            assert address.family == 'IPv6'
            socket6.close()

        socket6.on('listening', common.must_call(on_listening6))

        def on_error6(err: BaseException) -> None:
            socket6.close()
            raise AssertionError(f'Unexpected error on udp6 socket. {err}')

        socket6.on('error', on_error6)
        socket6.bind(0, localhost)

    # Verify that address() throws if the socket is not bound.
    socket = dgram.create_socket('udp4')

    # Node's /^Error: getsockname EBADF$/ matches String(err) == `${name}: ${message}`.
    common.assert_throws(lambda: socket.address(), name='Error', message='getsockname EBADF')


test_dgram_address = common.node_test(__file__)
if __name__ == '__main__':
    common.run(main)
