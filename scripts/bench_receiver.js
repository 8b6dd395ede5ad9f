// The measured receiver of scripts/bench, on the Node oracle's dgram.
//
// Usage: node bench_receiver.js COUNT MAX_SECONDS [IDLE_MS]
//
// The twin of bench_receiver.py (same protocol, same stop rules): binds
// 127.0.0.1:0, prints the port, one 'message' listener increments a counter;
// process.cpuUsage() (user + system, all threads) is read at the FIRST
// datagram and at the COUNT-th one; the last stdout line is a JSON object.
'use strict';
const dgram = require('dgram');

const target = Number(process.argv[2]);
const maxSeconds = Number(process.argv[3]);
const idleMs = process.argv[4] !== undefined ? Number(process.argv[4]) : 500;
const TICK_MS = 100;

const now = () => Number(process.hrtime.bigint()) / 1e9;
const started = now();
let count = 0;
let cpu0 = null;
let wall0 = 0;
let last = { count: 0, cpu: null, wall: 0, change: now() };
let done = false;

const sock = dgram.createSocket('udp4');

function finish(reason, n, cpu1, wall1) {
  if (done) return;
  done = true;
  const measured = n - 1;
  const out = { impl: 'node', end: reason, received: count, measured: Math.max(measured, 0) };
  if (measured > 0) {
    const c = cpu1;   // process.cpuUsage(cpu0): the difference since the first datagram
    const cpuUs = c.user + c.system;
    Object.assign(out, {
      cpu_us: cpuUs, us_per_dgram: cpuUs / measured,
      user_us_per_dgram: c.user / measured, sys_us_per_dgram: c.system / measured,
      wall_s: Math.round((wall1 - wall0) * 1e4) / 1e4,
      rate_per_s: Math.round(measured / Math.max(wall1 - wall0, 1e-9)),
    });
  }
  console.log(JSON.stringify(out));
  clearInterval(timer);
  sock.close();
}

sock.on('message', (msg, rinfo) => {
  count++;
  if (count === 1) {
    cpu0 = process.cpuUsage();
    wall0 = now();
  } else if (count === target) {
    finish('count', count, process.cpuUsage(cpu0), now());
  }
});

const timer = setInterval(() => {
  const t = now();
  if (count !== last.count) {
    last = { count, cpu: process.cpuUsage(cpu0), wall: t, change: t };
  } else if (count && (t - last.change) * 1000 >= idleMs) {
    finish('idle', last.count, last.cpu, last.wall);
    return;
  }
  if (t - started >= maxSeconds) {
    if (count) finish('deadline', count, process.cpuUsage(cpu0), t);
    else finish('deadline', 0, null, t);
  }
}, TICK_MS);

sock.bind(0, '127.0.0.1', () => console.log(sock.address().port));
