"""disconnect() and remote_address() on a socket that is not connected, before
and after binding, and after a disconnect()."""
from _fmt import attempt

import dgram_uv as dgram

socket = dgram.create_socket('udp4')
attempt('disconnect-unbound', socket.disconnect)
attempt('remoteAddress-unbound', socket.remote_address)


def on_connect():
    attempt('remoteAddress-connected', socket.remote_address)
    attempt('disconnect-connected', socket.disconnect)
    attempt('remoteAddress-after-disconnect', socket.remote_address)
    attempt('disconnect-again', socket.disconnect)
    socket.close()
    attempt('disconnect-closed', socket.disconnect)
    attempt('remoteAddress-closed', socket.remote_address)


def on_bound():
    attempt('disconnect-bound', socket.disconnect)
    attempt('remoteAddress-bound', socket.remote_address)
    port = socket.address().port
    socket.connect(port, '127.0.0.1', on_connect)


socket.bind(0, '127.0.0.1', on_bound)
dgram.run()
