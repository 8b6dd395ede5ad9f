'use strict';
// options.lookup is called as lookup(hostname, family, callback) for every
// bind, connect and send address (IP literals and defaults included); a
// synchronous callback makes 'listening' synchronous; its errors are the
// socket's errors.
const dgram = require('dgram');
const { out, fmtErr } = require('./_fmt');

function lookup(hostname, family, callback) {
  out('lookup', hostname, family, typeof callback);
  if (hostname === 'sync.test') {
    callback(null, '127.0.0.1', 4);
  } else if (hostname === 'fail.test') {
    const err = new Error('custom lookup failure');
    err.code = 'ECUSTOM';
    process.nextTick(callback, err);
  } else {
    process.nextTick(callback, null, '127.0.0.1', 4);
  }
}

const receiver = dgram.createSocket({ type: 'udp4', lookup });
receiver.bind(0, 'sync.test', () => out('receiver bind-cb'));
out('after-receiver-bind-call', receiver.address().address);
const port = receiver.address().port;
const sender = dgram.createSocket({ type: 'udp4', lookup });
sender.bind(() => {
  out('sender bind-cb', sender.address().address);
  sender.send('a', port, 'peer.test', (err, bytes) => {
    out('send-cb', err, bytes);
    sender.send('b', port, 'fail.test', (err2) => {
      out('failed-send-cb', fmtErr(err2));
      sender.send('c', port, (err3, bytes3) => out('default-address-send-cb', err3, bytes3));
    });
  });
});
let got = 0;
receiver.on('message', (msg, rinfo) => {
  out('message', msg, rinfo.address);
  if (++got === 2) {
    const client = dgram.createSocket({ type: 'udp4', lookup });
    client.connect(port, () => {
      out('connect-cb', client.remoteAddress().address);
      client.close();
      sender.close();
      receiver.close();
    });
  }
});
