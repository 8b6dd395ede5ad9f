"""A send that succeeds at once (uv_udp_try_send) calls back on the next tick;
the datagram arrives later from the poll phase; inside that I/O callback an
immediate always runs before a 0 ms timer."""
from _fmt import out

import dgram_uv as dgram

receiver = dgram.create_socket('udp4')


def on_receiver_bound():
    port = receiver.address().port
    sender = dgram.create_socket('udp4')

    def on_sender_bound():
        def on_message(msg, rinfo):
            out('message', msg, rinfo.address, rinfo.family, f'size={rinfo.size}',
                'from-sender', rinfo.port == sender.address().port)

            def on_timeout():
                out('timeout-0')
                sender.close(lambda: out('sender-close'))
                receiver.close(lambda: out('receiver-close'))
            dgram.set_timeout(on_timeout, 0)
            dgram.set_immediate(lambda: out('immediate-in-message'))
            dgram.next_tick(lambda: out('tick-in-message'))
        receiver.on('message', on_message)
        sender.send(b'hello', port, '127.0.0.1', lambda err, nbytes: out('send-cb', err, nbytes))
        dgram.next_tick(lambda: out('tick-after-send'))
        out('sync-after-send')
    sender.bind(0, '127.0.0.1', on_sender_bound)


receiver.bind(0, '127.0.0.1', on_receiver_bound)
dgram.run()
