'use strict';
// Buffer sizes: before bind ERR_SOCKET_BUFFER_SIZE (a SystemError naming
// uv_*_buffer_size and EBADF); bad sizes ERR_SOCKET_BAD_BUFFER_SIZE; after
// bind Linux reports twice what was set; the constructor options apply at bind.
const dgram = require('dgram');
const { out, attempt, fmtErr } = require('./_fmt');

const socket = dgram.createSocket('udp4');
attempt('get-recv-before-bind', () => socket.getRecvBufferSize());
attempt('get-send-before-bind', () => socket.getSendBufferSize());
attempt('set-recv-before-bind', () => socket.setRecvBufferSize(8192));
try {
  socket.getSendBufferSize();
} catch (err) {
  out('info', err.info.code, err.info.syscall, err.info.message, 'errno', err.info.errno,
      err.syscall, err.errno);
}
for (const bad of [-1, 1.5, 'x', 2 ** 32]) {
  attempt(`set-recv-bad ${bad}`, () => socket.setRecvBufferSize(bad));
  attempt(`set-send-bad ${bad}`, () => socket.setSendBufferSize(bad));
}
socket.bind(0, '127.0.0.1', () => {
  socket.setRecvBufferSize(16384);
  socket.setSendBufferSize(16384);
  out('after-set recv', socket.getRecvBufferSize(), 'send', socket.getSendBufferSize());
  socket.close();
  const sized = dgram.createSocket({ type: 'udp4', recvBufferSize: 12000, sendBufferSize: 9000 });
  sized.on('error', (err) => out('error', fmtErr(err)));
  sized.bind(0, '127.0.0.1', () => {
    out('options recv', sized.getRecvBufferSize(), 'send', sized.getSendBufferSize());
    sized.close();
  });
});
