'use strict';
// cluster: two workers binding the same address without `exclusive` share the
// primary's socket (same port); a third binding that port with
// `exclusive: true` fails with EADDRINUSE; a datagram sent to the shared port
// reaches one of the sharing workers; cluster.disconnect() ends them all.
// The primary prints; what may come in either order is printed at exit.
const cluster = require('cluster');
const dgram = require('dgram');
const { out, fmtErr } = require('./_fmt');

if (cluster.isPrimary) {
  const listening = [];
  const exits = [];
  let disconnects = 0;
  let disconnectedCallback = false;
  let port;

  cluster.on('fork', (worker) => out('fork', worker.id));
  cluster.on('online', (worker) => out('online', worker.id, worker.state));
  cluster.on('listening', (worker, address) => {
    listening.push([worker.id, address.addressType, address.address,
                    address.port === port, address.fd]);
  });
  cluster.on('disconnect', () => disconnects++);
  cluster.on('exit', (worker, code, signal) => {
    exits.push([worker.id, code, signal, worker.exitedAfterDisconnect, worker.state,
                worker.isDead()]);
  });

  const first = cluster.fork({ ROLE: 'share' });
  first.once('message', (msg) => {
    port = msg.port;
    out('worker 1 bound', msg.address, typeof msg.port);
    const second = cluster.fork({ ROLE: 'share' });
    second.once('message', (msg) => {
      out('worker 2 bound', msg.address, msg.port === port);
      const third = cluster.fork({ ROLE: 'exclusive', SHARED_PORT: port });
      third.once('message', (msg) => {
        out('worker 3 error', msg.error.split(String(port)).join('PORT'));
        const client = dgram.createSocket('udp4');
        client.send('ping', port, '127.0.0.1', () => client.close());
      });
    });
  });

  cluster.on('message', (worker, msg) => {
    if (msg.got === undefined) return;
    out('datagram', msg.got, 'reached a sharing worker', worker.id === 1 || worker.id === 2);
    cluster.disconnect(() => { disconnectedCallback = true; });
  });

  process.on('exit', () => {
    listening.sort((a, b) => a[0] - b[0]);
    for (const entry of listening) out('listening', ...entry);
    exits.sort((a, b) => a[0] - b[0]);
    for (const entry of exits) out('exit', ...entry);
    out('disconnects', disconnects, 'callback', disconnectedCallback,
        'workers left', Object.keys(cluster.workers).length);
  });
} else if (process.env.ROLE === 'share') {
  const socket = dgram.createSocket('udp4');
  socket.on('message', (msg) => process.send({ got: msg.toString() }));
  socket.bind({ address: '127.0.0.1', port: 0 }, () => {
    process.send({ address: socket.address().address, port: socket.address().port });
  });
} else {
  const socket = dgram.createSocket('udp4');
  socket.on('error', (err) => {
    process.send({ error: fmtErr(err) });
    socket.close();
  });
  socket.bind({ address: '127.0.0.1', port: Number(process.env.SHARED_PORT), exclusive: true },
              () => process.send({ error: 'none' }));
}
