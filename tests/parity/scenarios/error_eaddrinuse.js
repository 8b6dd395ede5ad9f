'use strict';
// Binding a port that is taken: an 'error' event with a system error (code,
// syscall, address, port, errno); the bind callback is dropped and the socket
// can bind again. In Python str(err) is the same text as err.message (in JS
// String(err) would prefix "Error: "; the message is what is compared).
const dgram = require('dgram');
const { out, fmtErr } = require('./_fmt');

const first = dgram.createSocket('udp4');
first.bind(0, '127.0.0.1', () => {
  const port = first.address().port;
  const second = dgram.createSocket('udp4');
  const hide = { [port]: 'PORT' };
  second.on('error', (err) => {
    out('error', fmtErr(err, hide));
    out('str', err.message.split(String(port)).join('PORT'));
    out('message', err.message.split(String(port)).join('PORT'));
    out('fields', err.code, err.syscall, err.address, err.port === port, 'errno', -err.errno);
    out('listeners', second.listenerCount('listening'), second.listenerCount('error'));
    second.bind(0, '127.0.0.1', () => {
      out('rebound', second.address().port !== port);
      second.close();
      first.close();
    });
  });
  second.bind(port, '127.0.0.1', () => out('never-bound'));
});
