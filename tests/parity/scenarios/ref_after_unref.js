'use strict';
// ref() after unref() makes the socket keep the process alive again: a
// datagram sent later from a timer is received.
const dgram = require('dgram');
const { out } = require('./_fmt');

const receiver = dgram.createSocket('udp4');
receiver.unref();
receiver.bind(0, '127.0.0.1', () => {
  out('bind-cb');
  out('ref-returns-socket', receiver.ref() === receiver);
  const port = receiver.address().port;
  const timer = setTimeout(() => {
    const sender = dgram.createSocket('udp4');
    sender.unref();
    sender.send('late', port, '127.0.0.1', (err, bytes) => {
      out('send-cb', err, bytes);
      sender.close();
    });
  }, 20);
  timer.unref();
  timer.ref();
});
receiver.on('message', (msg) => {
  out('message', msg);
  receiver.unref();
  out('unref-again');
});
process.on('exit', () => out('exit'));
