'use strict';
// udp6 on ::1: address(), rinfo, and an IPv4 literal refused by a udp6 send.
const dgram = require('dgram');
const { out, fmtErr } = require('./_fmt');

const receiver = dgram.createSocket('udp6');
receiver.bind(0, '::1', () => {
  const a = receiver.address();
  out('address', a.address, a.family, 'port>0', a.port > 0);
  const sender = dgram.createSocket({ type: 'udp6' });
  sender.bind(0, '::1', () => {
    sender.send('six', a.port, '::1', (err, bytes) => out('send-cb', err, bytes));
  });
  receiver.on('message', (msg, rinfo) => {
    out('message', msg, rinfo.address, rinfo.family, `size=${rinfo.size}`,
        'from-sender', rinfo.port === sender.address().port);
    sender.send('four', a.port, '127.0.0.1', (err) => {
      out('v4-from-v6-send-cb', fmtErr(err, { [a.port]: 'PORT' }));
      sender.close();
      receiver.close(() => out('closed'));
    });
  });
});
