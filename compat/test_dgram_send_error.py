# Node: test/parallel/test-dgram-send-error.js
from collections.abc import Callable
from typing import Any

import dgram_uv as dgram
from compat import common
from dgram_uv._binding.uv import UV_UNKNOWN  # internalBinding('uv')

mock_error = Exception('mock DNS error')


def get_socket(callback: Callable[[dgram.Socket], None]) -> dgram.Socket:
    socket = dgram.create_socket('udp4')

    socket.on('message', common.must_not_call('Should not receive any messages.'))

    def on_bound() -> None:
        def lookup(address: str, callback: Callable[..., Any]) -> None:
            dgram.next_tick(callback, mock_error)

        handle = socket._state.handle  # socket[kStateSymbol].handle
        assert handle is not None
        handle.lookup = lookup

        callback(socket)

    socket.bind(common.must_call(on_bound))
    return socket


def main() -> None:
    def first(socket: dgram.Socket) -> None:
        def on_error(err: BaseException) -> None:
            socket.close()
            assert err is mock_error, err

        socket.on('error', common.must_call(on_error))

        socket.send('foo', socket.address().port, 'localhost')

    get_socket(first)

    def second(socket: dgram.Socket) -> None:
        def on_sent(err: BaseException | None, *rest: Any) -> None:
            socket.close()
            assert err is mock_error, err

        callback = common.must_call(on_sent)

        socket.send('foo', socket.address().port, 'localhost', callback)

    get_socket(second)

    socket = dgram.create_socket('udp4')

    socket.on('message', common.must_not_call('Should not receive any messages.'))

    def on_bound() -> None:
        port = socket.address().port

        def on_sent(err: Any, *rest: Any) -> None:
            socket.close()

            assert err.code == 'UNKNOWN', err.code
            # getSystemErrorName(err.errno) === 'UNKNOWN': Python's errno is positive.
            assert err.errno == -UV_UNKNOWN, err.errno
            assert err.syscall == 'send', err.syscall
            assert err.address == common.localhost_ipv4, err.address
            assert err.port == port, err.port
            assert str(err) == f'{err.syscall} {err.code} {err.address}:{err.port}', str(err)

        callback = common.must_call(on_sent)

        handle = socket._state.handle  # socket[kStateSymbol].handle
        assert handle is not None
        handle.send = lambda *args: UV_UNKNOWN  # type: ignore[method-assign]

        socket.send('foo', port, common.localhost_ipv4, callback)

    socket.bind(common.must_call(on_bound))


test_dgram_send_error = common.node_test(__file__)
if __name__ == '__main__':
    common.run(main)
