"""Zero-length datagrams: an empty buffer, an empty string and an empty list
all send one empty datagram."""
from _fmt import out

import dgram_uv as dgram

receiver = dgram.create_socket('udp4')
got = 0


def on_message(msg, rinfo):
    global got
    out('message', f'len={len(msg)}', f'size={rinfo.size}', rinfo.address)
    got += 1
    if got == 4:
        receiver.close()
        sender.close()


receiver.on('message', on_message)
sender = dgram.create_socket('udp4')


def on_bound():
    port = receiver.address().port
    sender.send(b'', port, '127.0.0.1', lambda err, nbytes: out('send-cb buffer', err, nbytes))
    sender.send('', port, '127.0.0.1', lambda err, nbytes: out('send-cb string', err, nbytes))
    sender.send([], port, '127.0.0.1', lambda err, nbytes: out('send-cb list', err, nbytes))
    sender.send(b'abc', 1, 0, port, '127.0.0.1',
                lambda err, nbytes: out('send-cb zero-length-slice', err, nbytes))


receiver.bind(0, '127.0.0.1', on_bound)
dgram.run()
