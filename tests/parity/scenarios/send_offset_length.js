'use strict';
// send(buffer, offset, length, port, address, callback) and its shorter
// forms; strings are sliced by bytes (UTF-8), not characters; sendto().
const dgram = require('dgram');
const { out } = require('./_fmt');

const receiver = dgram.createSocket('udp4');
const sender = dgram.createSocket('udp4');
let got = 0;
receiver.on('message', (msg) => {
  out('message', msg.toString('hex'), msg);
  if (++got === 8) {
    sender.close();
    receiver.close();
  }
});
receiver.bind(0, '127.0.0.1', () => {
  const port = receiver.address().port;
  const cb = (label) => (err, bytes) => out('send-cb', label, err, bytes);
  const buf = Buffer.from('0123456789');
  sender.send(buf, 2, 3, port, '127.0.0.1', cb('middle'));
  sender.send(buf, 7, 3, port, cb('tail-no-address'));
  sender.send(buf, '1', '2', port, '127.0.0.1', cb('string-offset'));
  sender.send('h\u00e9llo', 1, 2, port, '127.0.0.1', cb('utf8-bytes'));
  sender.send(new Uint8Array([0, 1, 2, 3]), 1, 2, port, '127.0.0.1', cb('typed'));
  sender.send(buf, 9.7, 1.2, port, '127.0.0.1', cb('fractional'));
  sender.sendto(buf, 0, 1, port, '127.0.0.1', cb('sendto'));
  sender.send(buf, 4, 2, port, '127.0.0.1');
});
