'use strict';
// The methods that use the handle without a health check fail on a closed
// socket the way Node's code does on a null handle: a TypeError.
const dgram = require('dgram');
const { attempt } = require('./_fmt');

const socket = dgram.createSocket('udp4');
socket.close(() => {
  attempt('setTTL', () => socket.setTTL(1));
  attempt('setBroadcast', () => socket.setBroadcast(true));
  attempt('setMulticastTTL', () => socket.setMulticastTTL(1));
  attempt('setMulticastLoopback', () => socket.setMulticastLoopback(true));
  attempt('getRecvBufferSize', () => socket.getRecvBufferSize());
  attempt('setSendBufferSize', () => socket.setSendBufferSize(4096));
  attempt('getSendQueueSize', () => socket.getSendQueueSize());
  attempt('getSendQueueCount', () => socket.getSendQueueCount());
  attempt('disconnect', () => socket.disconnect());
  attempt('setTTL-bad-arg', () => socket.setTTL('1'));
});
