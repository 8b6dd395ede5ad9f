# Node: test/parallel/test-dgram-sendto.js
import dgram_uv as dgram
from compat import common


def main() -> None:
    socket = dgram.create_socket('udp4')

    err_obj = {
        'code': 'ERR_INVALID_ARG_TYPE',
        'name': 'TypeError',
        'message': 'The "offset" argument must be of type number. Received '
                   'None',
    }
    common.assert_throws(lambda: socket.sendto(), **err_obj)

    err_obj['message'] = ('The "length" argument must be of type number. Received '
                          "type str ('offset')")
    common.assert_throws(
        lambda: socket.sendto('buffer', 1, 'offset', 'port', 'address', 'cb'),
        **err_obj)

    err_obj['message'] = ('The "offset" argument must be of type number. Received '
                          "type str ('offset')")
    common.assert_throws(
        lambda: socket.sendto('buffer', 'offset', 1, 'port', 'address', 'cb'),
        **err_obj)

    err_obj['message'] = ('The "address" argument must be of type string. Received '
                          'type bool (False)')
    common.assert_throws(
        lambda: socket.sendto('buffer', 1, 1, 10, False, 'cb'),
        **err_obj)

    err_obj['message'] = ('The "port" argument must be of type number. Received '
                          'type bool (False)')
    common.assert_throws(
        lambda: socket.sendto('buffer', 1, 1, False, 'address', 'cb'),
        **err_obj)


test_dgram_sendto = common.node_test(__file__)
if __name__ == '__main__':
    common.run(main)
