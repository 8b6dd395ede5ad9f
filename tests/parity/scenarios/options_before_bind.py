"""Socket options before bind: there is no file descriptor yet, so libuv
reports EBADF, thrown as a system error named after the method. After
bind the same calls work and return their argument; libuv's range checks
give EINVAL."""
from _fmt import attempt, out

import dgram_uv as dgram

socket = dgram.create_socket('udp4')
calls = {
    'setTTL-64': lambda: out('returns', socket.set_ttl(64)),
    'setTTL-0': lambda: socket.set_ttl(0),
    'setTTL-256': lambda: socket.set_ttl(256),
    'setTTL-string': lambda: socket.set_ttl('64'),
    'setBroadcast-true': lambda: socket.set_broadcast(True),
    'setBroadcast-false': lambda: socket.set_broadcast(False),
    'setMulticastTTL-8': lambda: out('returns', socket.set_multicast_ttl(8)),
    'setMulticastTTL-256': lambda: socket.set_multicast_ttl(256),
    'setMulticastLoopback-false': lambda: out('returns', socket.set_multicast_loopback(False)),
    'setMulticastLoopback-1': lambda: out('returns', socket.set_multicast_loopback(1)),
    'setMulticastInterface': lambda: socket.set_multicast_interface('127.0.0.1'),
    'setMulticastInterface-bad': lambda: socket.set_multicast_interface('not-an-ip'),
    'setMulticastInterface-number': lambda: socket.set_multicast_interface(1),
}
for label, fn in calls.items():
    attempt(f'before-bind {label}', fn)


def on_bound():
    for label, fn in calls.items():
        attempt(f'after-bind {label}', fn)
    socket.close()


socket.bind(0, '127.0.0.1', on_bound)
dgram.run()
