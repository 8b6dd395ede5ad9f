'use strict';
// Zero-length datagrams: an empty buffer, an empty string and an empty list
// all send one empty datagram.
const dgram = require('dgram');
const { out } = require('./_fmt');

const receiver = dgram.createSocket('udp4');
let got = 0;
receiver.on('message', (msg, rinfo) => {
  out('message', `len=${msg.length}`, `size=${rinfo.size}`, rinfo.address);
  if (++got === 4) {
    receiver.close();
    sender.close();
  }
});
const sender = dgram.createSocket('udp4');
receiver.bind(0, '127.0.0.1', () => {
  const port = receiver.address().port;
  sender.send(Buffer.alloc(0), port, '127.0.0.1', (err, bytes) => out('send-cb buffer', err, bytes));
  sender.send('', port, '127.0.0.1', (err, bytes) => out('send-cb string', err, bytes));
  sender.send([], port, '127.0.0.1', (err, bytes) => out('send-cb list', err, bytes));
  sender.send(Buffer.from('abc'), 1, 0, port, '127.0.0.1',
              (err, bytes) => out('send-cb zero-length-slice', err, bytes));
});
