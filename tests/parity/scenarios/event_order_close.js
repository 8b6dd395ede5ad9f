'use strict';
// close() on a socket that never bound: 'close' on the next tick, the
// callback after earlier 'close' listeners; a second close() throws.
const dgram = require('dgram');
const { out, attempt } = require('./_fmt');

const socket = dgram.createSocket('udp4');
socket.on('close', () => out('close-listener-1'));
process.nextTick(() => out('tick-before-close'));
socket.close(() => {
  out('close-cb');
  process.nextTick(() => out('tick-in-close-cb'));
});
socket.on('close', () => out('close-listener-2'));
process.nextTick(() => out('tick-after-close'));
setImmediate(() => out('immediate'));
attempt('close-again', () => socket.close());
out('sync-end');
