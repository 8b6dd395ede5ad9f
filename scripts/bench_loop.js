// Loop primitives for scripts/bench, on the Node oracle: process.nextTick,
// setImmediate, setTimeout(cb, 0).
//
// Usage: node bench_loop.js PRIM PATTERN COUNT
//   PRIM: next_tick, set_immediate, set_timeout; PATTERN: queued, chained
//
// The twin of bench_loop.py (same phases and output keys): a warm-up of COUNT / 10,
// then COUNT callbacks queued in one go or chained, process.cpuUsage() ns per
// callback; one JSON line.
'use strict';
const [prim, pattern] = process.argv.slice(2, 4);
const count = Number(process.argv[4]);
const key = `${prim}_${pattern}`;
const hr = () => process.hrtime.bigint();

const once = {
  next_tick: (cb) => process.nextTick(cb),
  set_immediate: (cb) => setImmediate(cb),
  set_timeout: (cb) => setTimeout(cb, 0),
}[prim];
const schedule = {
  next_tick: (n, cb) => { for (let i = 0; i < n; i++) process.nextTick(cb); },
  set_immediate: (n, cb) => { for (let i = 0; i < n; i++) setImmediate(cb); },
  set_timeout: (n, cb) => { for (let i = 0; i < n; i++) setTimeout(cb, 0); },
}[prim];

function phase(n, then) {
  let left = n;
  const cpu0 = process.cpuUsage();
  const wall0 = hr();
  const done = () => {
    const c = process.cpuUsage(cpu0);
    then((c.user + c.system) * 1e3 / n, Number(hr() - wall0) / n);
  };
  if (pattern === 'queued') {
    schedule(n, () => { if (--left === 0) done(); });
    return;
  }
  const link = () => {
    if (--left === 0) done();
    else once(link);
  };
  once(link);
}

setTimeout(phase, 5, Math.max(Math.floor(count / 10), 1), () => {
  setTimeout(phase, 5, count, (ns, wallNs) => {
    console.log(JSON.stringify({ impl: 'node', [`${key}_ns`]: ns, [`${key}_wall_ns`]: wallNs }));
  });
});
