// The echo (ping-pong) benchmark of scripts/bench, on the Node oracle's dgram.
//
// Usage: node bench_echo.js server WARMUP COUNT MAX_SECONDS
//        node bench_echo.js client PORT WARMUP COUNT MAX_SECONDS
//
// The twin of bench_echo.py (same protocol and figures): one 64-byte datagram in
// flight; round-trip time from just before the client's send() to the start of
// its 'message' listener (process.hrtime.bigint()); process.cpuUsage() of each
// side over the measured round trips; one JSON line per side.
'use strict';
const dgram = require('dgram');

const role = process.argv[2];
const num = (i) => Number(process.argv[i]);
const payload = Buffer.alloc(64, 'p');
const cpuUs = (c) => c.user + c.system;
const sock = dgram.createSocket('udp4');

if (role === 'server') {
  const [warmup, count, maxSeconds] = [num(3), num(4), num(5)];
  let n = 0;
  let cpu0 = null;
  const deadline = setTimeout(() => sock.close(), maxSeconds * 1000);
  sock.on('message', (msg, rinfo) => {
    n++;
    if (n === warmup + 1) {
      cpu0 = process.cpuUsage();
    } else if (n === warmup + count) {
      const us = cpuUs(process.cpuUsage(cpu0));
      console.log(JSON.stringify({ impl: 'node', role: 'server',
                                   cpu_us_per_rt: us / Math.max(count - 1, 1) }));
      setTimeout(() => { clearTimeout(deadline); sock.close(); }, 200);
    }
    sock.send(msg, rinfo.port, rinfo.address);
  });
  sock.bind(0, '127.0.0.1', () => console.log(sock.address().port));
} else {
  const [port, warmup, count] = [num(3), num(4), num(5)];
  const rtts = [];
  let i = 0;
  let t0 = 0n;
  let cpu0 = null;
  let seen = -1;
  const ping = () => {
    i++;
    if (i === warmup + 1) cpu0 = process.cpuUsage();
    t0 = process.hrtime.bigint();
    sock.send(payload, port, '127.0.0.1');
  };
  const watchdog = setInterval(() => {
    if (seen === i) {
      console.log(JSON.stringify({ impl: 'node', error: 'lost', at: i }));
      clearInterval(watchdog);
      sock.close();
    }
    seen = i;
  }, 1000);
  sock.on('message', () => {
    const t = process.hrtime.bigint();
    if (i > warmup) rtts.push(Number(t - t0));
    if (i === warmup + count) {
      const us = cpuUs(process.cpuUsage(cpu0));
      rtts.sort((a, b) => a - b);
      const n = rtts.length;
      const median = n % 2 ? rtts[(n - 1) / 2] : (rtts[n / 2 - 1] + rtts[n / 2]) / 2;
      console.log(JSON.stringify({
        impl: 'node', role: 'client', measured: n,
        rtt_median_us: median / 1e3,
        rtt_p99_us: rtts[Math.max(Math.ceil(0.99 * n) - 1, 0)] / 1e3,
        cpu_us_per_rt: us / n,
      }));
      clearInterval(watchdog);
      sock.close();
    } else {
      ping();
    }
  });
  ping();
}
