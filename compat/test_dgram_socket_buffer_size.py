# Node: test/parallel/test-dgram-socket-buffer-size.js
import functools
import math
import re
from typing import Any

import dgram_uv as dgram
from compat import common
from dgram_uv._binding.uv import UV_EBADF, UV_EINVAL, UV_ENOTSOCK  # internalBinding('uv')


def get_expected_error(type_: str) -> dict[str, Any]:
    code = 'ENOTSOCK' if common.is_windows else 'EBADF'
    message = 'socket operation on non-socket' if common.is_windows else 'bad file descriptor'
    errno = UV_ENOTSOCK if common.is_windows else UV_EBADF
    syscall = f'uv_{type_}_buffer_size'
    suffix = ('ENOTSOCK (socket operation on non-socket)' if common.is_windows
              else 'EBADF (bad file descriptor)')
    error = {
        'code': 'ERR_SOCKET_BUFFER_SIZE',
        'name': 'SystemError',
        'message': f'Could not get or set buffer size: {syscall} returned {suffix}',
        'info': {
            'code': code,
            'message': message,
            'errno': errno,
            'syscall': syscall,
        },
    }
    return error


def main() -> None:
    # Should throw error if the socket is never bound.
    error_obj = get_expected_error('send')

    socket = dgram.create_socket('udp4')

    def check_inspected(err: Any) -> bool:
        # Node compares util.inspect(err), stack lines removed, with this text:
        # the whole error, each property and no other (common.inspect_error).
        assert common.inspect_error(err) == (
            f'SystemError [ERR_SOCKET_BUFFER_SIZE]: {error_obj["message"]}\n'
            "  code: 'ERR_SOCKET_BUFFER_SIZE',\n"
            '  info: {\n'
            f'    errno: {error_obj["info"]["errno"]},\n'
            f"    code: '{error_obj['info']['code']}',\n"
            f"    message: '{error_obj['info']['message']}',\n"
            f"    syscall: '{error_obj['info']['syscall']}'\n"
            '  },\n'
            f'  errno: [Getter/Setter: {error_obj["info"]["errno"]}],\n'
            f"  syscall: [Getter/Setter: '{error_obj['info']['syscall']}']\n"
            '}'
        ), common.inspect_error(err)
        return True

    common.assert_throws(lambda: socket.set_send_buffer_size(8192), check_inspected)

    common.assert_throws(lambda: socket.get_send_buffer_size(), **error_obj)

    socket = dgram.create_socket('udp4')

    # Should throw error if the socket is never bound.
    error_obj = get_expected_error('recv')

    common.assert_throws(lambda: socket.set_recv_buffer_size(8192), **error_obj)

    common.assert_throws(lambda: socket.get_recv_buffer_size(), **error_obj)

    # Should throw error if invalid buffer size is specified
    bad_size_error: dict[str, Any] = {
        'code': 'ERR_SOCKET_BAD_BUFFER_SIZE',
        'name': 'TypeError',
        'message': re.compile(r'^Buffer size must be a positive integer$'),
    }

    bad_buffer_sizes: list[Any] = [-1, math.inf, 'Doh!']

    bad_socket = dgram.create_socket('udp4')

    def on_bound_bad_sizes() -> None:
        for bad_buffer_size in bad_buffer_sizes:
            common.assert_throws(
                functools.partial(bad_socket.set_recv_buffer_size, bad_buffer_size),
                **bad_size_error)

            common.assert_throws(
                functools.partial(bad_socket.set_send_buffer_size, bad_buffer_size),
                **bad_size_error)
        bad_socket.close()

    bad_socket.bind(common.must_call(on_bound_bad_sizes))

    # Can set and get buffer sizes after binding the socket.
    good_socket = dgram.create_socket('udp4')

    def on_bound_good_sizes() -> None:
        good_socket.set_recv_buffer_size(10000)
        good_socket.set_send_buffer_size(10000)

        # note: linux will double the buffer size
        expected_buffer_size = 20000 if common.is_linux else 10000
        assert good_socket.get_recv_buffer_size() == expected_buffer_size
        assert good_socket.get_send_buffer_size() == expected_buffer_size
        good_socket.close()

    good_socket.bind(common.must_call(on_bound_good_sizes))

    for kind in ('recv', 'send'):
        info = {
            'code': 'EINVAL',
            'message': 'invalid argument',
            'errno': UV_EINVAL,
            'syscall': f'uv_{kind}_buffer_size',
        }
        error_obj = {
            'code': 'ERR_SOCKET_BUFFER_SIZE',
            'name': 'SystemError',
            'message': f'Could not get or set buffer size: uv_{kind}_buffer_size '
                       'returned EINVAL (invalid argument)',
            'info': info,
        }
        big_socket = dgram.create_socket('udp4')

        def on_bound_too_big(big_socket: dgram.Socket = big_socket, kind: str = kind,
                             error_obj: dict[str, Any] = error_obj) -> None:
            setter = (big_socket.set_recv_buffer_size if kind == 'recv'
                      else big_socket.set_send_buffer_size)
            common.assert_throws(lambda: setter(2147483648), **error_obj)
            big_socket.close()

        big_socket.bind(common.must_call(on_bound_too_big))


test_dgram_socket_buffer_size = common.node_test(__file__)
if __name__ == '__main__':
    common.run(main)
