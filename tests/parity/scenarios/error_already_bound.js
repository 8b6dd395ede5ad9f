'use strict';
// bind() on a socket that is binding or bound throws ERR_SOCKET_ALREADY_BOUND
// (so does the implicit bind of nothing: send() on a bound socket is fine).
const dgram = require('dgram');
const { out, attempt } = require('./_fmt');

const socket = dgram.createSocket('udp4');
socket.bind(0, '127.0.0.1', () => {
  out('bind-cb');
  attempt('bind-when-bound', () => socket.bind(0));
  attempt('bind-options-when-bound', () => socket.bind({ port: 0, address: '127.0.0.1' }));
  socket.close(() => {
    out('closed');
    attempt('bind-after-close', () => socket.bind(0));
  });
});
attempt('bind-while-binding', () => socket.bind(0, '127.0.0.1'));
const implicit = dgram.createSocket('udp4');
implicit.send('x', 9, '127.0.0.1', () => {
  attempt('bind-after-implicit-bind', () => implicit.bind(0));
  implicit.close();
});
attempt('bind-while-implicit-binding', () => implicit.bind());
