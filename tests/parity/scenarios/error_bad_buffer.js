'use strict';
// send() with something that is not a buffer, a string or a list of them, and
// offsets/lengths outside the buffer.
const dgram = require('dgram');
const { attempt } = require('./_fmt');

const socket = dgram.createSocket('udp4');
attempt('number', () => socket.send(123, 9, '127.0.0.1'));
attempt('object', () => socket.send({}, 9, '127.0.0.1'));
attempt('null', () => socket.send(null, 9, '127.0.0.1'));
attempt('boolean', () => socket.send(true, 9));
attempt('list-with-number', () => socket.send(['a', 1], 9, '127.0.0.1'));
attempt('list-with-null', () => socket.send([Buffer.from('a'), null], 9));
attempt('offset-number-buffer', () => socket.send(123, 0, 1, 9, '127.0.0.1'));
attempt('offset-out-of-bounds', () => socket.send(Buffer.from('abc'), 4, 0, 9, '127.0.0.1'));
attempt('length-out-of-bounds', () => socket.send(Buffer.from('abc'), 1, 3, 9, '127.0.0.1'));
attempt('string-length-out-of-bounds', () => socket.send('abc', 0, 4, 9, '127.0.0.1'));
attempt('list-with-offset', () => socket.send(['abc'], 0, 1, 9, '127.0.0.1'));
attempt('address-number', () => socket.send('x', 9, 127));
socket.close(() => attempt('after-close', () => socket.send('x', 9, '127.0.0.1')));
