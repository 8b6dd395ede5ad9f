'use strict';
// createSocket(type, listener) and createSocket(options, listener) add the
// listener for 'message'; rinfo has address, family, port and size.
const dgram = require('dgram');
const { out } = require('./_fmt');

let sender;
const a = dgram.createSocket('udp4', (msg, rinfo) => {
  out('a got', msg, Object.keys(rinfo).sort().join(','), rinfo.address, rinfo.family,
      rinfo.size, 'port-matches', rinfo.port === sender.address().port);
  b.bind(0, '127.0.0.1', () => sender.send('to-b', b.address().port, '127.0.0.1'));
});
const b = dgram.createSocket({ type: 'udp4' }, (msg) => {
  out('b got', msg, 'listeners', b.listenerCount('message'));
  a.close();
  b.close();
  sender.close();
});
const ignored = dgram.createSocket('udp4', 'not-a-function');
out('ignored-listener', ignored.listenerCount('message'));
ignored.close();
a.bind(0, '127.0.0.1', () => {
  sender = dgram.createSocket('udp4');
  sender.send('to-a', a.address().port, '127.0.0.1');
});
