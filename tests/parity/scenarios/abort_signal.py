"""options.signal: aborting closes the socket ('close' on the next tick); a
signal already aborted closes it at once; after 'close' the abort listener
is gone."""
from _fmt import attempt, out

import dgram_uv as dgram

controller = dgram.AbortController()
socket = dgram.create_socket(type='udp4', signal=controller.signal)


def on_close():
    out('close')
    attempt('address-after-abort', socket.address)
    aborted = dgram.create_socket(type='udp4', signal=dgram.AbortSignal.abort())
    out('created-with-aborted-signal')
    attempt('send-on-aborted', lambda: aborted.send('x', 9, '127.0.0.1'))

    def on_aborted_close():
        out('aborted-close')
        plain = dgram.AbortController()
        closed = dgram.create_socket(type='udp4', signal=plain.signal)

        def on_closed():
            out('closed-first')
            plain.abort()
            out('abort-after-close ok', plain.signal.aborted)
        closed.close(on_closed)
    aborted.on('close', on_aborted_close)


socket.on('close', on_close)


def on_bound():
    out('listening')
    controller.abort()
    out('after-abort-call')
    dgram.next_tick(lambda: out('tick-after-abort'))


socket.bind(0, '127.0.0.1', on_bound)
dgram.run()
