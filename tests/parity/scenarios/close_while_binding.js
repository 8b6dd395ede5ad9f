'use strict';
// close() while binding is queued behind the sends: after 'listening' the
// queue runs (send, then close), the handle closes before the send's lookup
// completes, so that datagram is dropped and its callback never runs.
const dgram = require('dgram');
const { out } = require('./_fmt');

const receiver = dgram.createSocket('udp4');
receiver.on('message', (msg) => {
  out('receiver-got', msg);
  if (msg.toString() === 'probe') receiver.close(() => out('receiver-closed'));
});
receiver.bind(0, '127.0.0.1', () => {
  const port = receiver.address().port;
  const socket = dgram.createSocket('udp4');
  socket.on('listening', () => out('listening'));
  socket.on('close', () => {
    out('close');
    // A second socket proves nothing else reached the receiver.
    const probe = dgram.createSocket('udp4');
    probe.send('probe', port, '127.0.0.1', () => probe.close());
  });
  socket.bind(0, '127.0.0.1');
  socket.send('queued', port, '127.0.0.1', (err, bytes) => out('send-cb', err, bytes));
  socket.close(() => out('close-cb'));
  process.nextTick(() => out('tick-after-close-call'));
  out('sync-end');
});
