'use strict';
// connect() while connecting or connected throws ERR_SOCKET_DGRAM_IS_CONNECTED;
// after disconnect() a new connect() works.
const dgram = require('dgram');
const { out, attempt } = require('./_fmt');

const receiver = dgram.createSocket('udp4');
receiver.bind(0, '127.0.0.1', () => {
  const port = receiver.address().port;
  const client = dgram.createSocket('udp4');
  client.connect(port, '127.0.0.1', () => {
    out('connect-cb');
    attempt('connect-when-connected', () => client.connect(port, '127.0.0.1'));
    attempt('connect-when-connected-no-address', () => client.connect(port));
    client.disconnect();
    out('disconnected');
    client.connect(port, () => {
      out('reconnect-cb', client.remoteAddress().address, client.remoteAddress().port === port);
      client.close();
      receiver.close();
    });
  });
  attempt('connect-while-connecting', () => client.connect(port, '127.0.0.1'));
});
