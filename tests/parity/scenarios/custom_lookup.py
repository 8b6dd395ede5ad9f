"""options.lookup is called as lookup(hostname, family, callback) for every
bind, connect and send address (IP literals and defaults included); a
synchronous callback makes 'listening' synchronous; its errors are the
socket's errors."""
from _fmt import fmt_err, out

import dgram_uv as dgram


class LookupFailure(Exception):
    code = 'ECUSTOM'


def lookup(hostname, family, callback):
    out('lookup', hostname, family, 'function' if callable(callback) else type(callback))
    if hostname == 'sync.test':
        callback(None, '127.0.0.1', 4)
    elif hostname == 'fail.test':
        dgram.next_tick(callback, LookupFailure('custom lookup failure'))
    else:
        dgram.next_tick(callback, None, '127.0.0.1', 4)


receiver = dgram.create_socket(type='udp4', lookup=lookup)
receiver.bind(0, 'sync.test', lambda: out('receiver bind-cb'))
out('after-receiver-bind-call', receiver.address().address)
port = receiver.address().port
sender = dgram.create_socket(type='udp4', lookup=lookup)


def on_sender_bound():
    out('sender bind-cb', sender.address().address)

    def on_sent(err, nbytes):
        out('send-cb', err, nbytes)

        def on_failed(err2, nbytes2=None):
            out('failed-send-cb', fmt_err(err2))
            sender.send('c', port, lambda err3, nbytes3: out('default-address-send-cb', err3,
                                                              nbytes3))
        sender.send('b', port, 'fail.test', on_failed)
    sender.send('a', port, 'peer.test', on_sent)


sender.bind(on_sender_bound)
got = 0


def on_message(msg, rinfo):
    global got
    out('message', msg, rinfo.address)
    got += 1
    if got == 2:
        client = dgram.create_socket(type='udp4', lookup=lookup)

        def on_connect():
            out('connect-cb', client.remote_address().address)
            client.close()
            sender.close()
            receiver.close()
        client.connect(port, on_connect)


receiver.on('message', on_message)
dgram.run()
