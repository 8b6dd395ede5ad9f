"""A failing bind: 'error' comes from the lookup's next tick (error_monitor
listeners first); the send queued behind it is dropped
with the queue; a later bind and send work."""
from _fmt import fmt_err, out

import dgram_uv as dgram
from dgram_uv.events import error_monitor

taken = dgram.create_socket('udp4')


def on_taken_bound():
    port = taken.address().port
    hide = {port: 'PORT'}
    socket = dgram.create_socket('udp4')
    socket.on(error_monitor, lambda err: out('error-monitor', err.code))

    def on_error(err):
        out('error', fmt_err(err, hide))
        dgram.next_tick(lambda: out('tick-in-error'))

        def on_immediate():
            out('immediate-after-error')

            def on_rebound():
                out('rebound')

                def on_sent(err2, nbytes):
                    out('send-cb after rebind', err2, nbytes)
                    socket.close(lambda: out('close'))
                socket.send('ok', port, '127.0.0.1', on_sent)
            socket.bind(0, '127.0.0.1', on_rebound)
        dgram.set_immediate(on_immediate)
    socket.on('error', on_error)
    socket.bind(port, '127.0.0.1', lambda: out('never bind-cb'))
    socket.send('dropped', port, '127.0.0.1', lambda err, nbytes: out('never send-cb', err, nbytes))
    dgram.next_tick(lambda: out('tick-after-bind'))
    out('sync-end')

    def on_message(msg, rinfo):
        out('taken got', msg)
        taken.close()
    taken.on('message', on_message)


taken.bind(0, '127.0.0.1', on_taken_bound)
dgram.run()
