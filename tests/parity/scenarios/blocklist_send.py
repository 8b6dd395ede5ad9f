"""send_block_list: a send to a blocked address calls back with ERR_IP_BLOCKED
(without a callback it is dropped silently); connect() to one fails the
same way, through the callback or an 'error' event."""
from _fmt import fmt_err, out

import dgram_uv as dgram

block_list = dgram.BlockList()
block_list.add_subnet('127.0.0.0', 8)
receiver = dgram.create_socket('udp6')


def on_receiver_message(msg, rinfo):
    out('receiver-got', msg, rinfo.address)
    receiver.close()


receiver.on('message', on_receiver_message)


def on_bound():
    port = receiver.address().port
    socket = dgram.create_socket(type='udp4', send_block_list=block_list)
    socket.on('error', lambda err: out('error-event', fmt_err(err)))

    def on_closed():
        out('udp4-closed')
        six = dgram.create_socket(type='udp6', send_block_list=block_list)

        def on_six_sent(err4, nbytes4):
            out('udp6-send-cb', err4, nbytes4)
            six.close()
        six.send('allowed', port, '::1', on_six_sent)

    def on_connect(err2=None):
        out('connect-cb', fmt_err(err2))

        def on_error(err3):
            out('connect-error-event', fmt_err(err3))
            socket.close(on_closed)
        socket.once('error', on_error)
        socket.connect(9, '127.0.0.4')

    def on_sent(err, nbytes=None):
        out('send-cb', fmt_err(err), 'bytes', nbytes)
        socket.send('silently-dropped', 9, '127.0.0.2')
        socket.connect(9, '127.0.0.3', on_connect)
    socket.send('x', 9, '127.0.0.1', on_sent)


receiver.bind(0, '::1', on_bound)
dgram.run()
