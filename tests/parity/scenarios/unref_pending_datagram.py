"""When the last referenced thing (a timer) finishes, the loop ends: a
datagram that the timer sent to an unref()ed socket is never read, and
nothing else runs."""
from _fmt import out

import dgram_uv as dgram

receiver = dgram.create_socket('udp4')
receiver.on('message', lambda msg, rinfo: out('message', msg))


def on_receiver_bound():
    receiver.unref()
    sender = dgram.create_socket('udp4')

    def on_sender_bound():
        sender.unref()

        def on_timeout():
            sender.send('late', receiver.address().port, '127.0.0.1',
                        lambda err, nbytes: out('send-cb', err, nbytes))
            out('timer')
        dgram.set_timeout(on_timeout, 10)
    sender.bind(0, '127.0.0.1', on_sender_bound)


receiver.bind(0, '127.0.0.1', on_receiver_bound)
dgram.run()
out('exit')
