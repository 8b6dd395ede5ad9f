'use strict';
// A failing bind: 'error' comes from the lookup's next tick (errorMonitor
// listeners first); the send queued behind it is dropped
// with the queue; a later bind and send work.
const dgram = require('dgram');
const { EventEmitter } = require('events');
const { out, fmtErr } = require('./_fmt');

const taken = dgram.createSocket('udp4');
taken.bind(0, '127.0.0.1', () => {
  const port = taken.address().port;
  const hide = { [port]: 'PORT' };
  const socket = dgram.createSocket('udp4');
  socket.on(EventEmitter.errorMonitor, (err) => out('error-monitor', err.code));
  socket.on('error', (err) => {
    out('error', fmtErr(err, hide));
    process.nextTick(() => out('tick-in-error'));
    setImmediate(() => {
      out('immediate-after-error');
      socket.bind(0, '127.0.0.1', () => {
        out('rebound');
        socket.send('ok', port, '127.0.0.1', (err2, bytes) => {
          out('send-cb after rebind', err2, bytes);
          socket.close(() => out('close'));
        });
      });
    });
  });
  socket.bind(port, '127.0.0.1', () => out('never bind-cb'));
  socket.send('dropped', port, '127.0.0.1', (err, bytes) => out('never send-cb', err, bytes));
  process.nextTick(() => out('tick-after-bind'));
  out('sync-end');
  taken.on('message', (msg) => {
    out('taken got', msg);
    taken.close();
  });
});
