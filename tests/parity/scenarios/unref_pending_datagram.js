'use strict';
// When the last referenced thing (a timer) finishes, the loop ends: a
// datagram that the timer sent to an unref()ed socket is never read, and
// nothing else runs.
const dgram = require('dgram');
const { out } = require('./_fmt');

const receiver = dgram.createSocket('udp4');
receiver.on('message', (msg) => out('message', msg));
receiver.bind(0, '127.0.0.1', () => {
  receiver.unref();
  const sender = dgram.createSocket('udp4');
  sender.bind(0, '127.0.0.1', () => {
    sender.unref();
    setTimeout(() => {
      sender.send('late', receiver.address().port, '127.0.0.1', (err, bytes) => {
        out('send-cb', err, bytes);
      });
      out('timer');
    }, 10);
  });
});
process.on('exit', () => out('exit'));
