# Node: test/parallel/test-dgram-multicast-set-interface.js
import re

import dgram_uv as dgram
from compat import common


def main() -> None:
    socket = dgram.create_socket('udp4')

    def explicit_default(socket: dgram.Socket = socket) -> None:
        # Explicitly request default system selection
        socket.set_multicast_interface('0.0.0.0')
        socket.close()

    socket.bind(0)
    socket.on('listening', common.must_call(explicit_default))

    socket = dgram.create_socket('udp4')

    def after_close(socket: dgram.Socket = socket) -> None:
        common.assert_throws(lambda: socket.set_multicast_interface('0.0.0.0'),
                             re.compile('Not running'))

    socket.bind(0)
    socket.on('listening', common.must_call(
        lambda socket=socket: socket.close(common.must_call(after_close))))

    socket = dgram.create_socket('udp4')

    def wrong_address_class(socket: dgram.Socket = socket) -> None:
        # Try to set with an invalid interfaceAddress (wrong address class)
        #
        # This operation succeeds on some platforms, throws `EINVAL` on some
        # platforms, and throws `ENOPROTOOPT` on others. This is unpleasant, but
        # we should at least test for it.
        try:
            socket.set_multicast_interface('::')
        except Exception as e:
            assert getattr(e, 'code', None) in ('EINVAL', 'ENOPROTOOPT'), e
        socket.close()

    socket.bind(0)
    socket.on('listening', common.must_call(wrong_address_class))

    socket = dgram.create_socket('udp4')

    def wrong_type(socket: dgram.Socket = socket) -> None:
        # Try to set with an invalid interfaceAddress (wrong Type)
        common.assert_throws(lambda: socket.set_multicast_interface(1), re.compile('TypeError'))
        socket.close()

    socket.bind(0)
    socket.on('listening', common.must_call(wrong_type))

    socket = dgram.create_socket('udp4')

    def non_unicast(socket: dgram.Socket = socket) -> None:
        # Try to set with an invalid interfaceAddress (non-unicast)
        common.assert_throws(lambda: socket.set_multicast_interface('224.0.0.2'),
                             re.compile('Error'))
        socket.close()

    socket.bind(0)
    socket.on('listening', common.must_call(non_unicast))

    # If IPv6 is not supported, skip the rest of the test. However, don't call
    # common.skip(), which would print a misleading message.
    if not common.has_ipv6:
        return

    socket = dgram.create_socket('udp6')

    def undefined_string(socket: dgram.Socket = socket) -> None:
        # Try to set with an invalid interfaceAddress ('undefined'): JS's String(undefined)
        common.assert_throws(lambda: socket.set_multicast_interface('undefined'),
                             re.compile('EINVAL'))
        socket.close()

    socket.bind(0)
    socket.on('listening', common.must_call(undefined_string))

    socket = dgram.create_socket('udp6')

    def empty_string(socket: dgram.Socket = socket) -> None:
        # Try to set with an invalid interfaceAddress ('')
        common.assert_throws(lambda: socket.set_multicast_interface(''), re.compile('EINVAL'))
        socket.close()

    socket.bind(0)
    socket.on('listening', common.must_call(empty_string))

    socket = dgram.create_socket('udp6')

    def invalid_scope(socket: dgram.Socket = socket) -> None:
        # Using lo0 for OsX, on all other OSes, an invalid Scope gets
        # turned into #0 (default selection) which is also acceptable.
        socket.set_multicast_interface('::%lo0')
        socket.close()

    socket.bind(0)
    socket.on('listening', common.must_call(invalid_scope))


test_dgram_multicast_set_interface = common.node_test(__file__)
if __name__ == '__main__':
    common.run(main)
