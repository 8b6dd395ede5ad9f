"""'listening' and the bind callback come from the IP-literal lookup, which
completes on the next tick: after the synchronous code, in next-tick order,
before any immediate."""
from _fmt import out

import dgram_uv as dgram

socket = dgram.create_socket('udp4')
socket.on('listening', lambda: out('listening'))
socket.on('close', lambda: out('close'))
dgram.next_tick(lambda: out('tick-before-bind'))


def on_bound():
    out('bind-cb')
    dgram.next_tick(lambda: out('tick-in-bind-cb'))
    dgram.set_immediate(lambda: out('immediate-in-bind-cb'))
    socket.close(lambda: out('close-cb'))
    out('after-close-call')


socket.bind(0, '127.0.0.1', on_bound)
dgram.next_tick(lambda: out('tick-after-bind'))
dgram.set_immediate(lambda: out('immediate-main'))
out('sync-end')
dgram.run()
