'use strict';
// ERR_SOCKET_BAD_PORT from send() and connect() (port 0 is not allowed for
// either); the "Received ..." clause is left out of the comparison.
const dgram = require('dgram');
const { attempt } = require('./_fmt');

const socket = dgram.createSocket('udp4');
const bad = [-1, 0, 65536, 1.5, NaN, '', ' ', 'abc', null, true, {}];
bad.forEach((port, i) => {
  attempt(`send-port-${i}`, () => socket.send('x', port, '127.0.0.1'));
  attempt(`send-port-no-address-${i}`, () => socket.send('x', port));
  attempt(`connect-port-${i}`, () => socket.connect(port, '127.0.0.1'));
});
attempt('send-offset-length-port', () => socket.send(Buffer.from('abc'), 0, 3, 70000, '127.0.0.1'));
attempt('connect-no-port', () => socket.connect());
attempt('connect-bad-address', () => socket.connect(9, 1234));
socket.close();
