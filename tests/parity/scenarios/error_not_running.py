"""Every method that checks the handle throws ERR_SOCKET_DGRAM_NOT_RUNNING
once the socket is closed; ref()/unref() are no-ops."""
from _fmt import attempt, out

import dgram_uv as dgram

socket = dgram.create_socket('udp4')


def on_bound():
    socket.close()
    attempt('close', socket.close)
    attempt('bind', lambda: socket.bind(0))
    attempt('send', lambda: socket.send('x', 9, '127.0.0.1'))
    attempt('send-list', lambda: socket.send(['x'], 9, '127.0.0.1', lambda *_: out('never')))
    attempt('address', socket.address)
    attempt('remoteAddress', socket.remote_address)
    attempt('connect', lambda: socket.connect(9, '127.0.0.1'))
    attempt('addMembership', lambda: socket.add_membership('224.0.0.114'))
    attempt('dropMembership', lambda: socket.drop_membership('224.0.0.114'))
    attempt('addSourceSpecificMembership',
            lambda: socket.add_source_specific_membership('127.0.0.1', '232.1.1.1'))
    attempt('setMulticastInterface', lambda: socket.set_multicast_interface('127.0.0.1'))
    attempt('ref', socket.ref)
    attempt('unref', socket.unref)
    out('ref-returns-socket', socket.ref() is socket, socket.unref() is socket)
    socket.on('close', lambda: out('close-event'))


socket.bind(0, '127.0.0.1', on_bound)
dgram.run()
