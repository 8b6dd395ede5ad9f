# Node: test/parallel/test-dgram-createSocket-type.js
import functools
import re
from collections import UserString
from typing import Any

import dgram_uv as dgram
from compat import common

_UNDEFINED = object()  # createSocket(undefined): called with no argument

invalid_types: list[Any] = [
    'test',
    ['udp4'],
    UserString('udp4'),  # new String('udp4'): an object that wraps a string
    1,
    {},
    True,
    False,
    None,
    _UNDEFINED,
]
valid_types: list[Any] = [
    'udp4',
    'udp6',
    {'type': 'udp4'},
    {'type': 'udp6'},
]
err_message = re.compile(r'^Bad socket type specified\. Valid types are: udp4, udp6$')


def main() -> None:
    # Error must be thrown with invalid types
    for invalid_type in invalid_types:
        def create(invalid_type: Any = invalid_type) -> None:
            if invalid_type is _UNDEFINED:
                dgram.create_socket()
            else:
                dgram.create_socket(invalid_type)

        common.assert_throws(create,
                             code='ERR_SOCKET_BAD_TYPE',
                             name='TypeError',
                             message=err_message)

    # Error must not be thrown with valid types
    for valid_type in valid_types:
        socket = dgram.create_socket(valid_type)
        socket.close()

    # Ensure buffer sizes can be set
    socket = dgram.create_socket({
        'type': 'udp4',
        'recvBufferSize': 10000,
        'sendBufferSize': 15000,
    })

    def on_bound() -> None:
        # note: linux will double the buffer size
        assert socket.get_recv_buffer_size() in (10000, 20000), (
            f'SO_RCVBUF not 10000 or 20000, was {socket.get_recv_buffer_size()}')
        assert socket.get_send_buffer_size() in (15000, 30000), (
            f'SO_SNDBUF not 15000 or 30000, was {socket.get_recv_buffer_size()}')
        socket.close()

    socket.bind(common.must_call(on_bound))

    for options in [
        {'type': 'udp4', 'recvBufferSize': 'invalid'},
        {'type': 'udp4', 'sendBufferSize': 'invalid'},
    ]:
        common.assert_throws(functools.partial(dgram.create_socket, options),
                             code='ERR_INVALID_ARG_TYPE')


test_dgram_createsocket_type = common.node_test(__file__)
if __name__ == '__main__':
    common.run(main)
