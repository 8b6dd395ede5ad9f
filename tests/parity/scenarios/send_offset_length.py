"""send(buffer, offset, length, port, address, callback) and its shorter
forms; strings are sliced by bytes (UTF-8), not characters; sendto()."""
from _fmt import out

import dgram_uv as dgram

receiver = dgram.create_socket('udp4')
sender = dgram.create_socket('udp4')
got = 0


def on_message(msg, rinfo):
    global got
    out('message', msg.hex(), msg)
    got += 1
    if got == 8:
        sender.close()
        receiver.close()


receiver.on('message', on_message)


def cb(label):
    return lambda err, nbytes: out('send-cb', label, err, nbytes)


def on_bound():
    port = receiver.address().port
    buf = b'0123456789'
    sender.send(buf, 2, 3, port, '127.0.0.1', cb('middle'))
    sender.send(buf, 7, 3, port, cb('tail-no-address'))
    sender.send(buf, '1', '2', port, '127.0.0.1', cb('string-offset'))
    sender.send('h\u00e9llo', 1, 2, port, '127.0.0.1', cb('utf8-bytes'))
    sender.send(bytes([0, 1, 2, 3]), 1, 2, port, '127.0.0.1', cb('typed'))
    sender.send(buf, 9.7, 1.2, port, '127.0.0.1', cb('fractional'))
    sender.sendto(buf, 0, 1, port, '127.0.0.1', cb('sendto'))
    sender.send(buf, 4, 2, port, '127.0.0.1')


receiver.bind(0, '127.0.0.1', on_bound)
dgram.run()
