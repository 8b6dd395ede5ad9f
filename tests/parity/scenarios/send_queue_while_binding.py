"""Sends made while the socket is binding wait in its queue and go out, in
order, right after 'listening'."""
from _fmt import out

import dgram_uv as dgram

receiver = dgram.create_socket('udp4')
count = 0


def on_receiver_bound():
    port = receiver.address().port
    sender = dgram.create_socket('udp4')
    sender.on('listening', lambda: out('sender-listening'))
    sender.bind(0, '127.0.0.1')
    sender.send('one', port, '127.0.0.1', lambda err, nbytes: out('send-cb one', err, nbytes))
    sender.send(b'two', port, '127.0.0.1', lambda err, nbytes: out('send-cb two', err, nbytes))
    sender.send('three', port, '127.0.0.1')

    def on_message(msg, rinfo):
        global count
        out('message', msg, f'size={rinfo.size}', 'from-sender',
            rinfo.port == sender.address().port)
        count += 1
        if count == 3:
            sender.close()
            receiver.close(lambda: out('closed'))
    receiver.on('message', on_message)
    out('sync-end')


receiver.bind(0, '127.0.0.1', on_receiver_bound)
dgram.run()
