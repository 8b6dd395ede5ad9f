'use strict';
// A host name that cannot resolve (the .invalid TLD, RFC 6761): send() calls
// back with the lookup error (EAI_AGAIN in the harness's isolated namespace), send() without a callback emits 'error', bind() emits
// 'error' and leaves the socket unbound, connect() calls back with it.
const dgram = require('dgram');
const { out, fmtErr } = require('./_fmt');

const HOST = 'no.such.host.invalid';

function step1() {
  const socket = dgram.createSocket('udp4');
  socket.on('listening', () => out('send-socket listening'));
  socket.send('x', 9, HOST, (err, bytes) => {
    out('send-cb', fmtErr(err), 'bytes', bytes);
    out('fields', err.code, err.syscall, err.hostname);
    socket.once('error', (err2) => {
      out('error-event', fmtErr(err2));
      socket.close(step2);
    });
    socket.send('x', 9, HOST);
  });
}

function step2() {
  const socket = dgram.createSocket('udp4');
  socket.once('error', (err) => {
    out('bind-error', fmtErr(err), err.syscall, err.hostname);
    socket.bind(0, '127.0.0.1', () => {
      out('rebound');
      socket.close(step3);
    });
  });
  socket.bind(0, HOST, () => out('never'));
}

function step3() {
  const socket = dgram.createSocket('udp4');
  socket.connect(9, HOST, (err) => {
    out('connect-cb', fmtErr(err));
    out('connect-listeners', socket.listenerCount('connect'));
    socket.once('error', (err2) => {
      out('connect-error-event', fmtErr(err2));
      socket.close(() => out('done'));
    });
    socket.connect(9, HOST);
  });
}

step1();
