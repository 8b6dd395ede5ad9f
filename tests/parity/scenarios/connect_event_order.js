'use strict';
// connect() on an unbound socket: implicit bind ('listening'), then the
// lookup, then 'connect' on a next tick; the callback is a once('connect')
// listener added after the earlier ones.
const dgram = require('dgram');
const { out } = require('./_fmt');

const receiver = dgram.createSocket('udp4');
receiver.bind(0, '127.0.0.1', () => {
  const port = receiver.address().port;
  const client = dgram.createSocket('udp4');
  client.on('listening', () => out('listening'));
  client.on('connect', () => out('connect-listener-1'));
  client.connect(port, '127.0.0.1', () => {
    out('connect-cb');
    out('listeners-after', client.listenerCount('connect'));
    setImmediate(() => {
      out('immediate');
      client.close(() => out('close'));
      receiver.close();
    });
  });
  client.on('connect', () => out('connect-listener-2'));
  process.nextTick(() => out('tick-after-connect'));
  setImmediate(() => out('immediate-after-connect'));
  out('sync-end', client.listenerCount('connect'));
});
