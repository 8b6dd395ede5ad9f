'use strict';
// Socket options before bind: there is no file descriptor yet, so libuv
// reports EBADF, thrown as a system error named after the method. After
// bind the same calls work and return their argument; libuv's range checks
// give EINVAL.
const dgram = require('dgram');
const { out, attempt } = require('./_fmt');

const socket = dgram.createSocket('udp4');
const calls = {
  'setTTL-64': () => out('returns', socket.setTTL(64)),
  'setTTL-0': () => socket.setTTL(0),
  'setTTL-256': () => socket.setTTL(256),
  'setTTL-string': () => socket.setTTL('64'),
  'setBroadcast-true': () => socket.setBroadcast(true),
  'setBroadcast-false': () => socket.setBroadcast(false),
  'setMulticastTTL-8': () => out('returns', socket.setMulticastTTL(8)),
  'setMulticastTTL-256': () => socket.setMulticastTTL(256),
  'setMulticastLoopback-false': () => out('returns', socket.setMulticastLoopback(false)),
  'setMulticastLoopback-1': () => out('returns', socket.setMulticastLoopback(1)),
  'setMulticastInterface': () => socket.setMulticastInterface('127.0.0.1'),
  'setMulticastInterface-bad': () => socket.setMulticastInterface('not-an-ip'),
  'setMulticastInterface-number': () => socket.setMulticastInterface(1),
};
for (const [label, fn] of Object.entries(calls)) attempt(`before-bind ${label}`, fn);
socket.bind(0, '127.0.0.1', () => {
  for (const [label, fn] of Object.entries(calls)) attempt(`after-bind ${label}`, fn);
  socket.close();
});
