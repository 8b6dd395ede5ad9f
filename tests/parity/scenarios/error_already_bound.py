"""bind() on a socket that is binding or bound throws ERR_SOCKET_ALREADY_BOUND
(so does the implicit bind of nothing: send() on a bound socket is fine)."""
from _fmt import attempt, out

import dgram_uv as dgram

socket = dgram.create_socket('udp4')


def on_close():
    out('closed')
    attempt('bind-after-close', lambda: socket.bind(0))


def on_bound():
    out('bind-cb')
    attempt('bind-when-bound', lambda: socket.bind(0))
    attempt('bind-options-when-bound', lambda: socket.bind({'port': 0, 'address': '127.0.0.1'}))
    socket.close(on_close)


socket.bind(0, '127.0.0.1', on_bound)
attempt('bind-while-binding', lambda: socket.bind(0, '127.0.0.1'))
implicit = dgram.create_socket('udp4')


def on_sent(*_):
    attempt('bind-after-implicit-bind', lambda: implicit.bind(0))
    implicit.close()


implicit.send('x', 9, '127.0.0.1', on_sent)
attempt('bind-while-implicit-binding', lambda: implicit.bind())
dgram.run()
