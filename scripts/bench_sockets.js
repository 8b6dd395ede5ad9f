// Socket churn and memory per socket for scripts/bench, on the Node oracle's dgram.
//
// Usage: node bench_sockets.js churn COUNT BATCH
//        node --expose-gc bench_sockets.js memory COUNT
//
// The twin of bench_sockets.py (same protocol): churn creates, binds to port 0
// and closes sockets BATCH at a time (close from the bind callback, the next
// batch after every 'close'), a COUNT / 10 warm-up first, then
// process.cpuUsage() per socket; memory reads process.memoryUsage.rss() after a
// warm-up socket and a gc(), creates COUNT sockets bound to 127.0.0.1:0, and
// reads it again (after gc()) once all are listening. One JSON line.
'use strict';
const dgram = require('dgram');

const what = process.argv[2];
const count = Number(process.argv[3]);
const batch = process.argv[4] !== undefined ? Number(process.argv[4]) : 100;
const collect = () => { if (typeof gc === 'function') gc(); };

function runBatch(left, then) {
  const n = Math.min(batch, left);
  let pending = n;
  const onClose = () => {
    if (--pending === 0) {
      if (left - n) runBatch(left - n, then);
      else then();
    }
  };
  for (let i = 0; i < n; i++) {
    const sock = dgram.createSocket('udp4');
    sock.bind(0, () => sock.close(onClose));
  }
}

if (what === 'churn') {
  runBatch(Math.max(Math.floor(count / 10), batch), () => {
    const cpu0 = process.cpuUsage();
    runBatch(count, () => {
      const c = process.cpuUsage(cpu0);
      console.log(JSON.stringify({ impl: 'node', measured: count,
                                   us_per_socket: (c.user + c.system) / count }));
    });
  });
} else {
  const warm = dgram.createSocket('udp4');
  warm.bind(0, '127.0.0.1', () => warm.close(() => setImmediate(() => {
    collect();
    const rss0 = process.memoryUsage.rss();
    const socks = [];
    let listening = 0;
    const onListening = () => {
      if (++listening === count) {
        collect();
        const rss1 = process.memoryUsage.rss();
        console.log(JSON.stringify({ impl: 'node', measured: count,
                                     kb_per_socket: (rss1 - rss0) / 1024 / count }));
        for (const s of socks) s.close();
      }
    };
    for (let i = 0; i < count; i++) {
      const sock = dgram.createSocket('udp4');
      socks.push(sock);
      sock.bind(0, '127.0.0.1', onListening);
    }
  })));
}
