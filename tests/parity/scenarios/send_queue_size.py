"""get_send_queue_size()/get_send_queue_count(): 0 before bind, after bind and
after sends that completed at once (uv_udp_try_send)."""
from _fmt import out

import dgram_uv as dgram

socket = dgram.create_socket('udp4')
out('unbound', socket.get_send_queue_size(), socket.get_send_queue_count())


def on_bound():
    out('bound', socket.get_send_queue_size(), socket.get_send_queue_count())
    socket.send('x', socket.address().port, '127.0.0.1',
                lambda err, nbytes: out('after-send', err, nbytes, socket.get_send_queue_size(),
                                        socket.get_send_queue_count()))
    out('sent', socket.get_send_queue_size(), socket.get_send_queue_count())

    def on_message(msg, rinfo):
        out('message', msg)
        socket.close()
    socket.on('message', on_message)


socket.bind(0, '127.0.0.1', on_bound)
dgram.run()
