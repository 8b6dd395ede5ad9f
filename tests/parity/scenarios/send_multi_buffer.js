'use strict';
// A list of buffers and strings goes out as one datagram (scatter/gather);
// the callback gets the total length. Typed arrays and DataViews count by bytes.
const dgram = require('dgram');
const { out } = require('./_fmt');

const receiver = dgram.createSocket('udp4');
const expected = 4;
let got = 0;
receiver.on('message', (msg, rinfo) => {
  out('message', msg, `size=${rinfo.size}`);
  if (++got === expected) {
    receiver.close();
    sender.close();
  }
});
const sender = dgram.createSocket('udp4');
receiver.bind(0, '127.0.0.1', () => {
  const port = receiver.address().port;
  const done = (label) => (err, bytes) => out('send-cb', label, err, bytes);
  sender.send([Buffer.from('ab'), 'cd', Buffer.from('ef')], port, '127.0.0.1', done('list'));
  sender.send(['one'], port, '127.0.0.1', done('single-item'));
  sender.send([new Uint8Array([104, 105]), new DataView(new Uint8Array([33]).buffer)], port,
              '127.0.0.1', done('typed'));
  sender.send(['h\u00e9', Buffer.from('llo')], port, '127.0.0.1', done('utf8'));
});
