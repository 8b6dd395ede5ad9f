"""udp6 on ::1: address(), rinfo, and an IPv4 literal refused by a udp6 send."""
from _fmt import fmt_err, out

import dgram_uv as dgram

receiver = dgram.create_socket('udp6')
sender = dgram.create_socket({'type': 'udp6'})


def on_bound():
    a = receiver.address()
    out('address', a.address, a.family, 'port>0', a.port > 0)
    sender.bind(0, '::1', lambda: sender.send(
        'six', a.port, '::1', lambda err, nbytes: out('send-cb', err, nbytes)))

    def on_message(msg, rinfo):
        out('message', msg, rinfo.address, rinfo.family, f'size={rinfo.size}',
            'from-sender', rinfo.port == sender.address().port)

        def on_sent(err, nbytes=None):
            out('v4-from-v6-send-cb', fmt_err(err, {a.port: 'PORT'}))
            sender.close()
            receiver.close(lambda: out('closed'))
        sender.send('four', a.port, '127.0.0.1', on_sent)
    receiver.on('message', on_message)


receiver.bind(0, '::1', on_bound)
dgram.run()
