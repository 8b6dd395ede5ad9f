'use strict';
// close(callback) adds a 'close' listener at once, even when the close itself
// is queued behind a bind; a non-function is ignored; close() returns the
// socket.
const dgram = require('dgram');
const { out } = require('./_fmt');

const socket = dgram.createSocket('udp4');
socket.bind(0, '127.0.0.1', () => {
  out('returns-socket', socket.close('not-a-function') === socket);
  out('close-listeners', socket.listenerCount('close'));
});
socket.on('close', () => {
  out('close');
  const second = dgram.createSocket('udp4');
  second.on('listening', () => out('second listening'));
  second.send('queued', 9, '127.0.0.1', (err, bytes) => out('never', err, bytes));
  out('second returns-socket', second.close(() => {
    out('second close-cb', second.listenerCount('close'));
  }) === second);
  out('second queued-close-listeners', second.listenerCount('close'));
});
