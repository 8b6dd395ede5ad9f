'use strict';
// send() on an unbound socket binds it to 0.0.0.0 on a random port first
// ('listening', no bind callback), then sends.
const dgram = require('dgram');
const { out } = require('./_fmt');

const receiver = dgram.createSocket('udp4');
receiver.bind(0, '127.0.0.1', () => {
  const port = receiver.address().port;
  const sender = dgram.createSocket('udp4');
  sender.on('listening', () => {
    const a = sender.address();
    out('listening', a.address, a.family, 'port>0', a.port > 0);
  });
  sender.send('implicit', port, '127.0.0.1', (err, bytes) => out('send-cb', err, bytes));
  out('sync-end');
  receiver.on('message', (msg, rinfo) => {
    out('message', msg, rinfo.address, rinfo.family,
        'from-sender', rinfo.port === sender.address().port);
    sender.close(() => out('sender-close'));
    receiver.close(() => out('receiver-close'));
  });
});
