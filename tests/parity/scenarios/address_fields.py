"""address(): EBADF before bind; address/family/port after, for each way of
giving the address (none, IP, 'localhost', '::', options mapping)."""
import attrs
from _fmt import attempt, out

import dgram_uv as dgram


def show(label, socket):
    a = socket.address()
    out(label, ','.join(sorted(attrs.asdict(a))), a.address, a.family, 'port>0', a.port > 0)


unbound = dgram.create_socket('udp4')
attempt('unbound-address', unbound.address)
unbound.close()

cases = [
    ('udp4-default', 'udp4', []),
    ('udp4-ip', 'udp4', [0, '127.0.0.1']),
    ('udp4-localhost', 'udp4', [0, 'localhost']),
    ('udp4-options', 'udp4', [{'port': 0, 'address': '127.0.0.1', 'exclusive': True}]),
    ('udp4-options-no-address', 'udp4', [{}]),
    ('udp6-any', 'udp6', [0, '::']),
    ('udp6-loopback', 'udp6', [0, '::1']),
    ('udp6-default', 'udp6', []),
]


def next_case(i):
    if i == len(cases):
        out('done')
        return
    label, type_, args = cases[i]
    socket = dgram.create_socket(type_)

    def on_bound():
        show(label, socket)
        socket.close(lambda: next_case(i + 1))
    socket.bind(*args, on_bound)


next_case(0)
dgram.run()
