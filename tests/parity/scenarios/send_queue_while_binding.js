'use strict';
// Sends made while the socket is binding wait in its queue and go out, in
// order, right after 'listening'.
const dgram = require('dgram');
const { out } = require('./_fmt');

const receiver = dgram.createSocket('udp4');
receiver.bind(0, '127.0.0.1', () => {
  const port = receiver.address().port;
  const sender = dgram.createSocket('udp4');
  sender.on('listening', () => out('sender-listening'));
  sender.bind(0, '127.0.0.1');
  sender.send('one', port, '127.0.0.1', (err, bytes) => out('send-cb one', err, bytes));
  sender.send(Buffer.from('two'), port, '127.0.0.1',
              (err, bytes) => out('send-cb two', err, bytes));
  sender.send('three', port, '127.0.0.1');
  let count = 0;
  receiver.on('message', (msg, rinfo) => {
    out('message', msg, `size=${rinfo.size}`, 'from-sender',
        rinfo.port === sender.address().port);
    if (++count === 3) {
      sender.close();
      receiver.close(() => out('closed'));
    }
  });
  out('sync-end');
});
