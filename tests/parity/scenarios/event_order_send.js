'use strict';
// A send that succeeds at once (uv_udp_try_send) calls back on the next tick;
// the datagram arrives later from the poll phase; inside that I/O callback an
// immediate always runs before a 0 ms timer.
const dgram = require('dgram');
const { out } = require('./_fmt');

const receiver = dgram.createSocket('udp4');
receiver.bind(0, '127.0.0.1', () => {
  const port = receiver.address().port;
  const sender = dgram.createSocket('udp4');
  sender.bind(0, '127.0.0.1', () => {
    receiver.on('message', (msg, rinfo) => {
      out('message', msg, rinfo.address, rinfo.family, `size=${rinfo.size}`,
          'from-sender', rinfo.port === sender.address().port);
      setTimeout(() => {
        out('timeout-0');
        sender.close(() => out('sender-close'));
        receiver.close(() => out('receiver-close'));
      }, 0);
      setImmediate(() => out('immediate-in-message'));
      process.nextTick(() => out('tick-in-message'));
    });
    sender.send('hello', port, '127.0.0.1', (err, bytes) => {
      out('send-cb', err, bytes);
    });
    process.nextTick(() => out('tick-after-send'));
    out('sync-after-send');
  });
});
