"""close(callback) adds a 'close' listener at once, even when the close itself
is queued behind a bind; a non-function is ignored; close() returns the
socket."""
from _fmt import out

import dgram_uv as dgram

socket = dgram.create_socket('udp4')


def on_bound():
    out('returns-socket', socket.close('not-a-function') is socket)
    out('close-listeners', socket.listener_count('close'))


socket.bind(0, '127.0.0.1', on_bound)


def on_close():
    out('close')
    second = dgram.create_socket('udp4')
    second.on('listening', lambda: out('second listening'))
    second.send('queued', 9, '127.0.0.1', lambda err, nbytes: out('never', err, nbytes))
    out('second returns-socket', second.close(
        lambda: out('second close-cb', second.listener_count('close'))) is second)
    out('second queued-close-listeners', second.listener_count('close'))


socket.on('close', on_close)
dgram.run()
