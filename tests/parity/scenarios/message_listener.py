"""create_socket(type, listener) and create_socket(options, listener) add the
listener for 'message'; rinfo has address, family, port and size."""
import attrs
from _fmt import out

import dgram_uv as dgram

sender = None


def on_a_message(msg, rinfo):
    out('a got', msg, ','.join(sorted(attrs.asdict(rinfo))), rinfo.address, rinfo.family,
        rinfo.size, 'port-matches', rinfo.port == sender.address().port)
    b.bind(0, '127.0.0.1', lambda: sender.send('to-b', b.address().port, '127.0.0.1'))


def on_b_message(msg, rinfo):
    out('b got', msg, 'listeners', b.listener_count('message'))
    a.close()
    b.close()
    sender.close()


a = dgram.create_socket('udp4', on_a_message)
b = dgram.create_socket({'type': 'udp4'}, on_b_message)
ignored = dgram.create_socket('udp4', 'not-a-function')
out('ignored-listener', ignored.listener_count('message'))
ignored.close()


def on_a_bound():
    global sender
    sender = dgram.create_socket('udp4')
    sender.send('to-a', a.address().port, '127.0.0.1')


a.bind(0, '127.0.0.1', on_a_bound)
dgram.run()
