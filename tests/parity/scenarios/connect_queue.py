"""connect() on an unbound socket queues behind the implicit bind. Until it
completes the socket is not connected: a send without a port is rejected,
a send with port and address is queued behind the connect and then fails
with EISCONN (libuv refuses an address on a connected socket)."""
from _fmt import attempt, fmt_err, out

import dgram_uv as dgram

receiver = dgram.create_socket('udp4')


def on_bound():
    port = receiver.address().port
    client = dgram.create_socket('udp4')

    def on_connect():
        out('connect')
        client.send('after-connect',
                    lambda err, nbytes: out('send-cb after-connect', err, nbytes))
    client.on('connect', on_connect)
    client.connect(port, '127.0.0.1')
    attempt('send-no-port-while-connecting', lambda: client.send('x'))
    attempt('remoteAddress-while-connecting', client.remote_address)
    attempt('disconnect-while-connecting', client.disconnect)
    client.send('while-connecting', port, '127.0.0.1',
                lambda err, nbytes=None: out('send-cb while-connecting',
                                             err and fmt_err(err, {port: 'PORT'}), nbytes))
    got = []

    def on_message(msg, rinfo):
        got.append(msg.decode())
        if msg == b'after-connect':
            out('received', ','.join(got))
            client.close()
            receiver.close()
    receiver.on('message', on_message)


receiver.bind(0, '127.0.0.1', on_bound)
dgram.run()
