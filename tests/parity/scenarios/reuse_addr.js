'use strict';
// reuseAddr lets a second socket bind the same port; without it on both
// sides the second bind fails with EADDRINUSE.
const dgram = require('dgram');
const { out, fmtErr } = require('./_fmt');

const first = dgram.createSocket({ type: 'udp4', reuseAddr: true });
first.bind(0, '127.0.0.1', () => {
  const port = first.address().port;
  const second = dgram.createSocket({ type: 'udp4', reuseAddr: true });
  second.bind(port, '127.0.0.1', () => {
    out('second bound same port', second.address().port === port);
    const third = dgram.createSocket('udp4');
    third.on('error', (err) => {
      out('third error', fmtErr(err, { [port]: 'PORT' }));
      third.close();
      second.close();
      first.close(() => out('done'));
    });
    third.bind(port, '127.0.0.1', () => out('third bound'));
  });
});
