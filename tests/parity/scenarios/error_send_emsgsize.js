'use strict';
// A datagram larger than UDP allows: the send callback gets the EMSGSIZE
// system error (and no byte count); without a callback nothing is emitted.
const dgram = require('dgram');
const { out, fmtErr } = require('./_fmt');

const receiver = dgram.createSocket('udp4');
receiver.bind(0, '127.0.0.1', () => {
  const port = receiver.address().port;
  const sender = dgram.createSocket('udp4');
  sender.on('error', (err) => out('error-event', fmtErr(err)));
  sender.bind(0, '127.0.0.1', () => {
    const big = Buffer.alloc(70000, 'x');
    sender.send(big, port, '127.0.0.1', (err, bytes) => {
      out('send-cb', fmtErr(err, { [port]: 'PORT' }), 'bytes', bytes);
      out('fields', err.code, err.syscall, err.address, err.port === port, 'errno', -err.errno);
      sender.send(big, port, '127.0.0.1');
      sender.send(['a', big], port, '127.0.0.1', (err2) => {
        out('list-send-cb', err2.code);
        sender.send('fits', port, '127.0.0.1', (err3, bytes3) => out('small-send-cb', err3, bytes3));
      });
    });
  });
  receiver.on('message', (msg) => {
    out('message', msg);
    sender.close();
    receiver.close();
  });
});
