'use strict';
// createSocket() with a bad type or bad options.
const dgram = require('dgram');
const { attempt } = require('./_fmt');

attempt('udp5', () => dgram.createSocket('udp5'));
attempt('options-type-tcp', () => dgram.createSocket({ type: 'tcp' }));
attempt('options-no-type', () => dgram.createSocket({}));
attempt('no-type', () => dgram.createSocket());
attempt('number-type', () => dgram.createSocket(4));
attempt('upper-case', () => dgram.createSocket('UDP4'));
attempt('recvBufferSize-negative', () => dgram.createSocket({ type: 'udp4', recvBufferSize: -1 }));
attempt('recvBufferSize-string', () => dgram.createSocket({ type: 'udp4', recvBufferSize: 'x' }));
attempt('sendBufferSize-float', () => dgram.createSocket({ type: 'udp4', sendBufferSize: 1.5 }));
attempt('lookup-not-function', () => dgram.createSocket({ type: 'udp4', lookup: 'x' }));
attempt('receiveBlockList-object', () => dgram.createSocket({ type: 'udp4', receiveBlockList: {} }));
attempt('receiveBlockList-plain-object', () => dgram.createSocket({ type: 'udp4', receiveBlockList: { a: 1 } }));
attempt('sendBlockList-string', () => dgram.createSocket({ type: 'udp4', sendBlockList: 'x' }));
attempt('signal-not-signal', () => dgram.createSocket({ type: 'udp4', signal: {} }));
attempt('zero-buffer-size-is-unset', () => dgram.createSocket({ type: 'udp4', recvBufferSize: 0 }).close());
