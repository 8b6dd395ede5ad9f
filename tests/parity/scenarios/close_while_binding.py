"""close() while binding is queued behind the sends: after 'listening' the
queue runs (send, then close), the handle closes before the send's lookup
completes, so that datagram is dropped and its callback never runs."""
from _fmt import out

import dgram_uv as dgram

receiver = dgram.create_socket('udp4')


def on_receiver_message(msg, rinfo):
    out('receiver-got', msg)
    if msg == b'probe':
        receiver.close(lambda: out('receiver-closed'))


receiver.on('message', on_receiver_message)


def on_receiver_bound():
    port = receiver.address().port
    socket = dgram.create_socket('udp4')
    socket.on('listening', lambda: out('listening'))

    def on_close():
        out('close')
        # A second socket proves nothing else reached the receiver.
        probe = dgram.create_socket('udp4')
        probe.send('probe', port, '127.0.0.1', lambda *_: probe.close())
    socket.on('close', on_close)
    socket.bind(0, '127.0.0.1')
    socket.send('queued', port, '127.0.0.1', lambda err, nbytes: out('send-cb', err, nbytes))
    socket.close(lambda: out('close-cb'))
    dgram.next_tick(lambda: out('tick-after-close-call'))
    out('sync-end')


receiver.bind(0, '127.0.0.1', on_receiver_bound)
dgram.run()
