'use strict';
// A connected socket rejects a port or an address in send() with
// ERR_SOCKET_DGRAM_IS_CONNECTED when the arguments read as (buffer, offset,
// length, port...); send(msg, port, address) reads as send(msg, callback) and
// goes to the peer. The connected forms work.
const dgram = require('dgram');
const { out, attempt } = require('./_fmt');

const receiver = dgram.createSocket('udp4');
receiver.bind(0, '127.0.0.1', () => {
  const port = receiver.address().port;
  const client = dgram.createSocket('udp4');
  const got = [];
  receiver.on('message', (msg) => {
    got.push(msg.toString());
    if (got.length === 5) {
      out('received', got.join(','));
      client.close();
      receiver.close();
    }
  });
  client.connect(port, '127.0.0.1', () => {
    attempt('send-port-address', () => client.send('x', port, '127.0.0.1'));
    attempt('send-port', () => client.send('x', port));
    attempt('send-offset-length-port', () => client.send(Buffer.from('xyz'), 0, 1, port));
    attempt('send-offset-length-port-address',
            () => client.send(Buffer.from('xyz'), 0, 1, port, '127.0.0.1'));
    client.send('a', (err, bytes) => out('send-cb a', err, bytes));
    client.send(Buffer.from('xbcx'), 1, 2, (err, bytes) => out('send-cb bc', err, bytes));
    client.send(['d', Buffer.from('e')]);
  });
});
