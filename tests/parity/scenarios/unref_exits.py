"""An unref()ed bound socket and an unref()ed timer keep nothing alive: the
process ends after the pending next ticks and immediates, without closing."""
from _fmt import out

import dgram_uv as dgram

socket = dgram.create_socket('udp4')
out('unref-returns-socket', socket.unref() is socket)
socket.on('message', lambda *_: out('never-message'))


def on_bound():
    out('bind-cb')
    dgram.set_immediate(lambda: out('immediate'))


socket.bind(0, '127.0.0.1', on_bound)
timer = dgram.set_timeout(lambda: out('never-timeout'), 60000)
timer.unref()
connected = dgram.create_socket('udp4')
connected.connect(9, '127.0.0.1', lambda: out('connect-cb'))
connected.unref()
dgram.run()
out('exit')
