"""A datagram larger than UDP allows: the send callback gets the EMSGSIZE
system error (and no byte count); without a callback nothing is emitted."""
from _fmt import fmt_err, out

import dgram_uv as dgram

receiver = dgram.create_socket('udp4')


def on_receiver_bound():
    port = receiver.address().port
    sender = dgram.create_socket('udp4')
    sender.on('error', lambda err: out('error-event', fmt_err(err)))

    def on_sender_bound():
        big = b'x' * 70000

        def on_sent(err, nbytes=None):
            out('send-cb', fmt_err(err, {port: 'PORT'}), 'bytes', nbytes)
            out('fields', err.code, err.syscall, err.address, err.port == port, 'errno',
                err.errno)
            sender.send(big, port, '127.0.0.1')

            def on_list_sent(err2, nbytes2=None):
                out('list-send-cb', err2.code)
                sender.send('fits', port, '127.0.0.1',
                            lambda err3, nbytes3: out('small-send-cb', err3, nbytes3))
            sender.send(['a', big], port, '127.0.0.1', on_list_sent)
        sender.send(big, port, '127.0.0.1', on_sent)
    sender.bind(0, '127.0.0.1', on_sender_bound)

    def on_message(msg, rinfo):
        out('message', msg)
        sender.close()
        receiver.close()
    receiver.on('message', on_message)


receiver.bind(0, '127.0.0.1', on_receiver_bound)
dgram.run()
