"""receive_block_list drops datagrams from blocked senders silently; others
still arrive."""
from _fmt import out

import dgram_uv as dgram

block_list = dgram.BlockList()
block_list.add_address('127.0.0.1')
blocked = dgram.create_socket(type='udp4', receive_block_list=block_list)
open_ = dgram.create_socket(type='udp6', receive_block_list=block_list)
blocked.on('message', lambda msg, rinfo: out('blocked-socket-got', msg))


def on_open_message(msg, rinfo):
    out('open-socket-got', msg, rinfo.address)
    blocked.close(lambda: out('blocked-closed'))
    open_.close(lambda: out('open-closed'))


open_.on('message', on_open_message)


def on_open_bound():
    v4 = dgram.create_socket('udp4')

    def on_v4_sent(err, nbytes):
        out('v4-send-cb', err, nbytes)
        v4.close()
        v6 = dgram.create_socket('udp6')

        def on_v6_sent(err2, nbytes2):
            out('v6-send-cb', err2, nbytes2)
            v6.close()
        v6.send('through', open_.address().port, '::1', on_v6_sent)
    v4.send('dropped', blocked.address().port, '127.0.0.1', on_v4_sent)


blocked.bind(0, '127.0.0.1', lambda: open_.bind(0, '::1', on_open_bound))
dgram.run()
