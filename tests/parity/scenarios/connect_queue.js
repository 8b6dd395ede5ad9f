'use strict';
// connect() on an unbound socket queues behind the implicit bind. Until it
// completes the socket is not connected: a send without a port is rejected,
// a send with port and address is queued behind the connect and then fails
// with EISCONN (libuv refuses an address on a connected socket).
const dgram = require('dgram');
const { out, attempt, fmtErr } = require('./_fmt');

const receiver = dgram.createSocket('udp4');
receiver.bind(0, '127.0.0.1', () => {
  const port = receiver.address().port;
  const client = dgram.createSocket('udp4');
  client.on('connect', () => {
    out('connect');
    client.send('after-connect', (err, bytes) => out('send-cb after-connect', err, bytes));
  });
  client.connect(port, '127.0.0.1');
  attempt('send-no-port-while-connecting', () => client.send('x'));
  attempt('remoteAddress-while-connecting', () => client.remoteAddress());
  attempt('disconnect-while-connecting', () => client.disconnect());
  client.send('while-connecting', port, '127.0.0.1',
              (err, bytes) => out('send-cb while-connecting',
                                  err && fmtErr(err, { [port]: 'PORT' }), bytes));
  const got = [];
  receiver.on('message', (msg) => {
    got.push(msg.toString());
    if (msg.toString() === 'after-connect') {
      out('received', got.join(','));
      client.close();
      receiver.close();
    }
  });
});
