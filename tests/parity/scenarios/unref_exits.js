'use strict';
// An unref()ed bound socket and an unref()ed timer keep nothing alive: the
// process ends after the pending next ticks and immediates, without closing.
const dgram = require('dgram');
const { out } = require('./_fmt');

const socket = dgram.createSocket('udp4');
out('unref-returns-socket', socket.unref() === socket);
socket.on('message', () => out('never-message'));
socket.bind(0, '127.0.0.1', () => {
  out('bind-cb');
  setImmediate(() => out('immediate'));
});
const timer = setTimeout(() => out('never-timeout'), 60000);
timer.unref();
const connected = dgram.createSocket('udp4');
connected.connect(9, '127.0.0.1', () => out('connect-cb'));
connected.unref();
process.on('exit', () => out('exit'));
