'use strict';
// address(): EBADF before bind; { address, family, port } after, for each
// way of giving the address (none, IP, 'localhost', '::', options object).
const dgram = require('dgram');
const { out, attempt } = require('./_fmt');

function show(label, socket) {
  const a = socket.address();
  out(label, Object.keys(a).sort().join(','), a.address, a.family, 'port>0', a.port > 0);
}

const unbound = dgram.createSocket('udp4');
attempt('unbound-address', () => unbound.address());
unbound.close();

const cases = [
  ['udp4-default', 'udp4', []],
  ['udp4-ip', 'udp4', [0, '127.0.0.1']],
  ['udp4-localhost', 'udp4', [0, 'localhost']],
  ['udp4-options', 'udp4', [{ port: 0, address: '127.0.0.1', exclusive: true }]],
  ['udp4-options-no-address', 'udp4', [{}]],
  ['udp6-any', 'udp6', [0, '::']],
  ['udp6-loopback', 'udp6', [0, '::1']],
  ['udp6-default', 'udp6', []],
];

function next(i) {
  if (i === cases.length) return out('done');
  const [label, type, args] = cases[i];
  const socket = dgram.createSocket(type);
  socket.bind(...args, () => {
    show(label, socket);
    socket.close(() => next(i + 1));
  });
}
next(0);
