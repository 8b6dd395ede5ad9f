"""Buffer sizes: before bind ERR_SOCKET_BUFFER_SIZE (a SystemError naming
uv_*_buffer_size and EBADF); bad sizes ERR_SOCKET_BAD_BUFFER_SIZE; after
bind Linux reports twice what was set; the constructor options apply at bind."""
from _fmt import attempt, fmt_err, out

import dgram_uv as dgram

socket = dgram.create_socket('udp4')
attempt('get-recv-before-bind', socket.get_recv_buffer_size)
attempt('get-send-before-bind', socket.get_send_buffer_size)
attempt('set-recv-before-bind', lambda: socket.set_recv_buffer_size(8192))
try:
    socket.get_send_buffer_size()
except dgram.errors.NodeError as err:
    out('info', err.info['code'], err.info['syscall'], err.info['message'], 'errno',
        err.info['errno'], err.syscall, err.errno)
for bad, shown in ((-1, '-1'), (1.5, '1.5'), ('x', 'x'), (2 ** 32, '4294967296')):
    attempt(f'set-recv-bad {shown}', lambda bad=bad: socket.set_recv_buffer_size(bad))
    attempt(f'set-send-bad {shown}', lambda bad=bad: socket.set_send_buffer_size(bad))


def on_sized_bound():
    out('options recv', sized.get_recv_buffer_size(), 'send', sized.get_send_buffer_size())
    sized.close()


sized = None


def on_bound():
    global sized
    socket.set_recv_buffer_size(16384)
    socket.set_send_buffer_size(16384)
    out('after-set recv', socket.get_recv_buffer_size(), 'send', socket.get_send_buffer_size())
    socket.close()
    sized = dgram.create_socket(type='udp4', recv_buffer_size=12000, send_buffer_size=9000)
    sized.on('error', lambda err: out('error', fmt_err(err)))
    sized.bind(0, '127.0.0.1', on_sized_bound)


socket.bind(0, '127.0.0.1', on_bound)
dgram.run()
