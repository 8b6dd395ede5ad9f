"""A connected socket rejects a port or an address in send() with
ERR_SOCKET_DGRAM_IS_CONNECTED when the arguments read as (buffer, offset,
length, port...); send(msg, port, address) reads as send(msg, callback) and
goes to the peer. The connected forms work."""
from _fmt import attempt, out

import dgram_uv as dgram

receiver = dgram.create_socket('udp4')


def on_bound():
    port = receiver.address().port
    client = dgram.create_socket('udp4')
    got = []

    def on_message(msg, rinfo):
        got.append(msg.decode())
        if len(got) == 5:
            out('received', ','.join(got))
            client.close()
            receiver.close()
    receiver.on('message', on_message)

    def on_connect():
        attempt('send-port-address', lambda: client.send('x', port, '127.0.0.1'))
        attempt('send-port', lambda: client.send('x', port))
        attempt('send-offset-length-port', lambda: client.send(b'xyz', 0, 1, port))
        attempt('send-offset-length-port-address',
                lambda: client.send(b'xyz', 0, 1, port, '127.0.0.1'))
        client.send('a', lambda err, nbytes: out('send-cb a', err, nbytes))
        client.send(b'xbcx', 1, 2, lambda err, nbytes: out('send-cb bc', err, nbytes))
        client.send(['d', b'e'])
    client.connect(port, '127.0.0.1', on_connect)


receiver.bind(0, '127.0.0.1', on_bound)
dgram.run()
