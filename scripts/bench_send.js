// The measured sender of scripts/bench, on the Node oracle's dgram.
//
// Usage: node bench_send.js MODE PORT SIZE COUNT [BURST]    (MODE: node_cb or node)
//
// The twin of bench_send.py (same protocol): socket.send(buf, PORT, '127.0.0.1'[, cb])
// in bursts of BURST per loop iteration (the next burst behind it with
// setImmediate), COUNT / 10 (at least 1000) as a warm-up, then process.cpuUsage()
// around COUNT sends, read again once every send completed; one JSON line.
'use strict';
const dgram = require('dgram');

const [mode, port, size, count] =
  [process.argv[2], Number(process.argv[3]), Number(process.argv[4]), Number(process.argv[5])];
const burst = process.argv[6] !== undefined ? Number(process.argv[6]) : 100;
const withCb = mode === 'node_cb';
const sock = dgram.createSocket('udp4');
const payload = Buffer.alloc(size, 'x');
const st = { left: 0, done: 0, errors: 0, sent: 0 };

function onSent(err) {
  st.done++;
  if (err) st.errors++;
}

function oneBurst(then) {
  const n = Math.min(burst, st.left);
  st.left -= n;
  st.sent += n;
  if (withCb) {
    for (let i = 0; i < n; i++) sock.send(payload, port, '127.0.0.1', onSent);
  } else {
    for (let i = 0; i < n; i++) sock.send(payload, port, '127.0.0.1');
  }
  setImmediate(st.left ? oneBurst : settled, then);
}

function settled(then) {
  const busy = withCb ? st.done < st.sent : sock.getSendQueueCount() > 0;
  if (busy) setImmediate(settled, then);
  else then();
}

function phase(n, then) {
  st.left = n;
  oneBurst(then);
}

function measure() {
  const cpu0 = process.cpuUsage();
  const wall0 = process.hrtime.bigint();
  const sent0 = st.sent;
  st.errors = 0;
  phase(count, () => {
    const c = process.cpuUsage(cpu0);
    console.log(JSON.stringify({
      impl: mode, sent: st.sent - sent0, errors: st.errors, measured: count, total_sent: st.sent,
      us_per_dgram: (c.user + c.system) / count,
      user_us_per_dgram: c.user / count, sys_us_per_dgram: c.system / count,
      wall_s: Number(process.hrtime.bigint() - wall0) / 1e9,
    }));
    sock.close();
  });
}

setImmediate(phase, Math.max(Math.floor(count / 10), 1000), measure);
