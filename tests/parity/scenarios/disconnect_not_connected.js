'use strict';
// disconnect() and remoteAddress() on a socket that is not connected, before
// and after binding, and after a disconnect().
const dgram = require('dgram');
const { out, attempt } = require('./_fmt');

const socket = dgram.createSocket('udp4');
attempt('disconnect-unbound', () => socket.disconnect());
attempt('remoteAddress-unbound', () => socket.remoteAddress());
socket.bind(0, '127.0.0.1', () => {
  attempt('disconnect-bound', () => socket.disconnect());
  attempt('remoteAddress-bound', () => socket.remoteAddress());
  const port = socket.address().port;
  socket.connect(port, '127.0.0.1', () => {
    attempt('remoteAddress-connected', () => socket.remoteAddress());
    attempt('disconnect-connected', () => socket.disconnect());
    attempt('remoteAddress-after-disconnect', () => socket.remoteAddress());
    attempt('disconnect-again', () => socket.disconnect());
    socket.close();
    attempt('disconnect-closed', () => socket.disconnect());
    attempt('remoteAddress-closed', () => socket.remoteAddress());
  });
});
