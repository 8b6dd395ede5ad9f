"""The methods that use the handle without a health check fail on a closed
socket the way Node's code does on a null handle: a TypeError."""
from _fmt import attempt

import dgram_uv as dgram

socket = dgram.create_socket('udp4')


def on_close():
    attempt('setTTL', lambda: socket.set_ttl(1))
    attempt('setBroadcast', lambda: socket.set_broadcast(True))
    attempt('setMulticastTTL', lambda: socket.set_multicast_ttl(1))
    attempt('setMulticastLoopback', lambda: socket.set_multicast_loopback(True))
    attempt('getRecvBufferSize', socket.get_recv_buffer_size)
    attempt('setSendBufferSize', lambda: socket.set_send_buffer_size(4096))
    attempt('getSendQueueSize', socket.get_send_queue_size)
    attempt('getSendQueueCount', socket.get_send_queue_count)
    attempt('disconnect', socket.disconnect)
    attempt('setTTL-bad-arg', lambda: socket.set_ttl('1'))


socket.close(on_close)
dgram.run()
