'use strict';
// getSendQueueSize()/getSendQueueCount(): 0 before bind, after bind and
// after sends that completed at once (uv_udp_try_send).
const dgram = require('dgram');
const { out } = require('./_fmt');

const socket = dgram.createSocket('udp4');
out('unbound', socket.getSendQueueSize(), socket.getSendQueueCount());
socket.bind(0, '127.0.0.1', () => {
  out('bound', socket.getSendQueueSize(), socket.getSendQueueCount());
  socket.send('x', socket.address().port, '127.0.0.1', (err, bytes) => {
    out('after-send', err, bytes, socket.getSendQueueSize(), socket.getSendQueueCount());
  });
  out('sent', socket.getSendQueueSize(), socket.getSendQueueCount());
  socket.on('message', (msg) => {
    out('message', msg);
    socket.close();
  });
});
