"""A list of buffers and strings goes out as one datagram (scatter/gather);
the callback gets the total length. Typed arrays and DataViews count by bytes."""
from _fmt import out

import dgram_uv as dgram

receiver = dgram.create_socket('udp4')
expected = 4
got = 0


def on_message(msg, rinfo):
    global got
    out('message', msg, f'size={rinfo.size}')
    got += 1
    if got == expected:
        receiver.close()
        sender.close()


receiver.on('message', on_message)
sender = dgram.create_socket('udp4')


def done(label):
    return lambda err, nbytes: out('send-cb', label, err, nbytes)


def on_bound():
    port = receiver.address().port
    sender.send([b'ab', 'cd', b'ef'], port, '127.0.0.1', done('list'))
    sender.send(['one'], port, '127.0.0.1', done('single-item'))
    sender.send([bytearray([104, 105]), memoryview(bytes([33]))], port, '127.0.0.1',
                done('typed'))
    sender.send(['h\u00e9', b'llo'], port, '127.0.0.1', done('utf8'))


receiver.bind(0, '127.0.0.1', on_bound)
dgram.run()
