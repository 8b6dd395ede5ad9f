'use strict';
// sendBlockList: a send to a blocked address calls back with ERR_IP_BLOCKED
// (without a callback it is dropped silently); connect() to one fails the
// same way, through the callback or an 'error' event.
const dgram = require('dgram');
const net = require('net');
const { out, fmtErr } = require('./_fmt');

const blockList = new net.BlockList();
blockList.addSubnet('127.0.0.0', 8);
const receiver = dgram.createSocket('udp6');
receiver.on('message', (msg, rinfo) => {
  out('receiver-got', msg, rinfo.address);
  receiver.close();
});
receiver.bind(0, '::1', () => {
  const port = receiver.address().port;
  const socket = dgram.createSocket({ type: 'udp4', sendBlockList: blockList });
  socket.on('error', (err) => out('error-event', fmtErr(err)));
  socket.send('x', 9, '127.0.0.1', (err, bytes) => {
    out('send-cb', fmtErr(err), 'bytes', bytes);
    socket.send('silently-dropped', 9, '127.0.0.2');
    socket.connect(9, '127.0.0.3', (err2) => {
      out('connect-cb', fmtErr(err2));
      socket.once('error', (err3) => {
        out('connect-error-event', fmtErr(err3));
        socket.close(() => {
          out('udp4-closed');
          const six = dgram.createSocket({ type: 'udp6', sendBlockList: blockList });
          six.send('allowed', port, '::1', (err4, bytes4) => {
            out('udp6-send-cb', err4, bytes4);
            six.close();
          });
        });
      });
      socket.connect(9, '127.0.0.4');
    });
  });
});
