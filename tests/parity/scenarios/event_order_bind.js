'use strict';
// 'listening' and the bind callback come from the IP-literal lookup, which
// completes on the next tick: after the synchronous code, in next-tick order,
// before any immediate.
const dgram = require('dgram');
const { out } = require('./_fmt');

const socket = dgram.createSocket('udp4');
socket.on('listening', () => out('listening'));
socket.on('close', () => out('close'));
process.nextTick(() => out('tick-before-bind'));
socket.bind(0, '127.0.0.1', () => {
  out('bind-cb');
  process.nextTick(() => out('tick-in-bind-cb'));
  setImmediate(() => out('immediate-in-bind-cb'));
  socket.close(() => out('close-cb'));
  out('after-close-call');
});
process.nextTick(() => out('tick-after-bind'));
setImmediate(() => out('immediate-main'));
out('sync-end');
