"""send() with something that is not a buffer, a string or a list of them, and
offsets/lengths outside the buffer."""
from _fmt import attempt

import dgram_uv as dgram

socket = dgram.create_socket('udp4')
attempt('number', lambda: socket.send(123, 9, '127.0.0.1'))
attempt('object', lambda: socket.send({}, 9, '127.0.0.1'))
attempt('null', lambda: socket.send(None, 9, '127.0.0.1'))
attempt('boolean', lambda: socket.send(True, 9))
attempt('list-with-number', lambda: socket.send(['a', 1], 9, '127.0.0.1'))
attempt('list-with-null', lambda: socket.send([b'a', None], 9))
attempt('offset-number-buffer', lambda: socket.send(123, 0, 1, 9, '127.0.0.1'))
attempt('offset-out-of-bounds', lambda: socket.send(b'abc', 4, 0, 9, '127.0.0.1'))
attempt('length-out-of-bounds', lambda: socket.send(b'abc', 1, 3, 9, '127.0.0.1'))
attempt('string-length-out-of-bounds', lambda: socket.send('abc', 0, 4, 9, '127.0.0.1'))
attempt('list-with-offset', lambda: socket.send(['abc'], 0, 1, 9, '127.0.0.1'))
attempt('address-number', lambda: socket.send('x', 9, 127))
socket.close(lambda: attempt('after-close', lambda: socket.send('x', 9, '127.0.0.1')))
dgram.run()
