'use strict';
// receiveBlockList drops datagrams from blocked senders silently; others
// still arrive.
const dgram = require('dgram');
const net = require('net');
const { out } = require('./_fmt');

const blockList = new net.BlockList();
blockList.addAddress('127.0.0.1');
const blocked = dgram.createSocket({ type: 'udp4', receiveBlockList: blockList });
const open = dgram.createSocket({ type: 'udp6', receiveBlockList: blockList });
blocked.on('message', (msg) => out('blocked-socket-got', msg));
open.on('message', (msg, rinfo) => {
  out('open-socket-got', msg, rinfo.address);
  blocked.close(() => out('blocked-closed'));
  open.close(() => out('open-closed'));
});
blocked.bind(0, '127.0.0.1', () => {
  open.bind(0, '::1', () => {
    const v4 = dgram.createSocket('udp4');
    v4.send('dropped', blocked.address().port, '127.0.0.1', (err, bytes) => {
      out('v4-send-cb', err, bytes);
      v4.close();
      const v6 = dgram.createSocket('udp6');
      v6.send('through', open.address().port, '::1', (err2, bytes2) => {
        out('v6-send-cb', err2, bytes2);
        v6.close();
      });
    });
  });
});
