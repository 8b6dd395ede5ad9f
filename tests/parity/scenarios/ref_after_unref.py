"""ref() after unref() makes the socket keep the process alive again: a
datagram sent later from a timer is received."""
from _fmt import out

import dgram_uv as dgram

receiver = dgram.create_socket('udp4')
receiver.unref()


def on_bound():
    out('bind-cb')
    out('ref-returns-socket', receiver.ref() is receiver)
    port = receiver.address().port

    def on_timeout():
        sender = dgram.create_socket('udp4')
        sender.unref()

        def on_sent(err, nbytes):
            out('send-cb', err, nbytes)
            sender.close()
        sender.send('late', port, '127.0.0.1', on_sent)
    timer = dgram.set_timeout(on_timeout, 20)
    timer.unref()
    timer.ref()


receiver.bind(0, '127.0.0.1', on_bound)


def on_message(msg, rinfo):
    out('message', msg)
    receiver.unref()
    out('unref-again')


receiver.on('message', on_message)
dgram.run()
out('exit')
