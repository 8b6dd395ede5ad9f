"""close() on a socket that never bound: 'close' on the next tick, the
callback after earlier 'close' listeners; a second close() throws."""
from _fmt import attempt, out

import dgram_uv as dgram

socket = dgram.create_socket('udp4')
socket.on('close', lambda: out('close-listener-1'))
dgram.next_tick(lambda: out('tick-before-close'))


def on_close():
    out('close-cb')
    dgram.next_tick(lambda: out('tick-in-close-cb'))


socket.close(on_close)
socket.on('close', lambda: out('close-listener-2'))
dgram.next_tick(lambda: out('tick-after-close'))
dgram.set_immediate(lambda: out('immediate'))
attempt('close-again', socket.close)
out('sync-end')
dgram.run()
