'use strict';
// Every method that checks the handle throws ERR_SOCKET_DGRAM_NOT_RUNNING
// once the socket is closed; ref()/unref() are no-ops.
const dgram = require('dgram');
const { out, attempt } = require('./_fmt');

const socket = dgram.createSocket('udp4');
socket.bind(0, '127.0.0.1', () => {
  socket.close();
  attempt('close', () => socket.close());
  attempt('bind', () => socket.bind(0));
  attempt('send', () => socket.send('x', 9, '127.0.0.1'));
  attempt('send-list', () => socket.send(['x'], 9, '127.0.0.1', () => out('never')));
  attempt('address', () => socket.address());
  attempt('remoteAddress', () => socket.remoteAddress());
  attempt('connect', () => socket.connect(9, '127.0.0.1'));
  attempt('addMembership', () => socket.addMembership('224.0.0.114'));
  attempt('dropMembership', () => socket.dropMembership('224.0.0.114'));
  attempt('addSourceSpecificMembership',
          () => socket.addSourceSpecificMembership('127.0.0.1', '232.1.1.1'));
  attempt('setMulticastInterface', () => socket.setMulticastInterface('127.0.0.1'));
  attempt('ref', () => socket.ref());
  attempt('unref', () => socket.unref());
  out('ref-returns-socket', socket.ref() === socket, socket.unref() === socket);
  socket.on('close', () => out('close-event'));
});
