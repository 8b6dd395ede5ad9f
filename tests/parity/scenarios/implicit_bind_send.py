"""send() on an unbound socket binds it to 0.0.0.0 on a random port first
('listening', no bind callback), then sends."""
from _fmt import out

import dgram_uv as dgram

receiver = dgram.create_socket('udp4')


def on_bound():
    port = receiver.address().port
    sender = dgram.create_socket('udp4')

    def on_listening():
        a = sender.address()
        out('listening', a.address, a.family, 'port>0', a.port > 0)
    sender.on('listening', on_listening)
    sender.send('implicit', port, '127.0.0.1', lambda err, nbytes: out('send-cb', err, nbytes))
    out('sync-end')

    def on_message(msg, rinfo):
        out('message', msg, rinfo.address, rinfo.family,
            'from-sender', rinfo.port == sender.address().port)
        sender.close(lambda: out('sender-close'))
        receiver.close(lambda: out('receiver-close'))
    receiver.on('message', on_message)


receiver.bind(0, '127.0.0.1', on_bound)
dgram.run()
