'use strict';
// options.signal: aborting closes the socket ('close' on the next tick); a
// signal already aborted closes it at once; after 'close' the abort listener
// is gone.
const dgram = require('dgram');
const { out, attempt } = require('./_fmt');

const controller = new AbortController();
const socket = dgram.createSocket({ type: 'udp4', signal: controller.signal });
socket.on('close', () => {
  out('close');
  attempt('address-after-abort', () => socket.address());
  const aborted = dgram.createSocket({ type: 'udp4', signal: AbortSignal.abort() });
  out('created-with-aborted-signal');
  attempt('send-on-aborted', () => aborted.send('x', 9, '127.0.0.1'));
  aborted.on('close', () => {
    out('aborted-close');
    const plain = new AbortController();
    const closed = dgram.createSocket({ type: 'udp4', signal: plain.signal });
    closed.close(() => {
      out('closed-first');
      plain.abort();
      out('abort-after-close ok', plain.signal.aborted);
    });
  });
});
socket.bind(0, '127.0.0.1', () => {
  out('listening');
  controller.abort();
  out('after-abort-call');
  process.nextTick(() => out('tick-after-abort'));
});
