'use strict';
// remoteAddress() of a connected socket, for udp4 and udp6, and the
// connected send path (no port, no address) delivering to the peer.
const dgram = require('dgram');
const { out } = require('./_fmt');

function run(type, ip, next) {
  const receiver = dgram.createSocket(type);
  receiver.bind(0, ip, () => {
    const port = receiver.address().port;
    const client = dgram.createSocket(type);
    receiver.on('message', (msg, rinfo) => {
      out(type, 'message', msg, rinfo.address, rinfo.family, `size=${rinfo.size}`);
      client.close();
      receiver.close(next);
    });
    client.connect(port, ip, () => {
      const remote = client.remoteAddress();
      out(type, 'remote', Object.keys(remote).sort().join(','), remote.address, remote.family,
          'port-matches', remote.port === port);
      const local = client.address();
      out(type, 'local', local.address, local.family, 'port>0', local.port > 0);
      client.send(`via ${type}`, (err, bytes) => out(type, 'send-cb', err, bytes));
    });
  });
}

run('udp4', '127.0.0.1', () => run('udp6', '::1', () => out('done')));
