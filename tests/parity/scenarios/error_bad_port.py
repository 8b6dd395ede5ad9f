"""ERR_SOCKET_BAD_PORT from send() and connect() (port 0 is not allowed for
either); the "Received ..." clause is left out of the comparison."""
import math

from _fmt import attempt

import dgram_uv as dgram

socket = dgram.create_socket('udp4')
bad = [-1, 0, 65536, 1.5, math.nan, '', ' ', 'abc', None, True, {}]
for i, port in enumerate(bad):
    attempt(f'send-port-{i}', lambda port=port: socket.send('x', port, '127.0.0.1'))
    attempt(f'send-port-no-address-{i}', lambda port=port: socket.send('x', port))
    attempt(f'connect-port-{i}', lambda port=port: socket.connect(port, '127.0.0.1'))
attempt('send-offset-length-port', lambda: socket.send(b'abc', 0, 3, 70000, '127.0.0.1'))
attempt('connect-no-port', lambda: socket.connect(None))
attempt('connect-bad-address', lambda: socket.connect(9, 1234))
socket.close()
dgram.run()
