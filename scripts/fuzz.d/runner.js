'use strict';
// The Node side of the fuzzer: reads {cases, settle_ms, ephemeral, isolated}
// as JSON on stdin, runs each case on Node's dgram, and writes one JSON line
// per case: {id, records}. runner_py.py is its twin on dgram_uv; both record
// the same facts in the same shapes (see docs/fuzz.md).

const dgram = require('dgram');
const { BlockList } = require('net');
const fs = require('fs');

// Loopback only (the same lists as dgramfuzz/safety.py, kept here on purpose:
// this runner checks for itself before any call that could send).
const SAFE_DESTINATIONS = new Set(['127.0.0.1', '::1', 'localhost', '', '127.1',
                                   '::ffff:127.0.0.1', '::1%lo']);
const SAFE_LOOKUP_IPS = new Set(['127.0.0.1', '::1', 'not-an-ip', '']);
const DESTINATION_POSITIONS = { send: [2, 4], connect: [1] };
const MEMBERSHIP = new Set(['addMembership', 'dropMembership', 'addSourceSpecificMembership',
                            'dropSourceSpecificMembership', 'setMulticastInterface']);

const input = JSON.parse(fs.readFileSync(0, 'utf8'));
const [EPH_LO, EPH_HI] = input.ephemeral;

// The runner ends with the fuzzer that started it (whose pipe it writes to).
const PARENT = process.ppid;
function orphaned() {
  if (process.ppid !== PARENT) process.exit(1);
}

function writeLine(text) {
  try {
    fs.writeSync(1, text + '\n');
  } catch {
    process.exit(1);
  }
}

function refuse(why) {
  fs.writeSync(2, `runner.js: SAFETY: ${why}\n`);
  process.exit(3);
}

// --- describing values --------------------------------------------------------------

function numText(v) {
  return Object.is(v, -0) ? '-0' : String(v);
}

function stripReceived(message) {
  const i = message.indexOf(' Received');
  return i === -1 ? message : message.slice(0, i);
}

function family(err) {
  if (err instanceof TypeError) return 'TypeError';
  if (err instanceof RangeError) return 'RangeError';
  return 'Error';
}

function isAddressLike(v) {
  const keys = Object.keys(v).sort().join(',');
  return keys === 'address,family,port' || keys === 'address,family,port,size';
}

function describe(ctx, v, depth = 0) {
  if (v === undefined || v === null) return null;
  if (typeof v === 'boolean' || typeof v === 'string') return v;
  if (typeof v === 'number') return { $: 'n', v: numText(v) };
  if (typeof v === 'symbol') return { $: 'sym', d: v.description };
  if (typeof v === 'function') return { $: 'fn', name: ctx.nameOf(v) ?? '?' };
  const name = ctx.nameOf(v);
  if (name !== undefined) return { $: 'var', name };
  if (v instanceof Error) return describeError(ctx, v);
  if (ArrayBuffer.isView(v)) {
    return { $: 'bytes', hex: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex') };
  }
  if (depth > 3) return { $: 'deep' };
  if (Array.isArray(v)) return { $: 'arr', items: v.map((x) => describe(ctx, x, depth + 1)) };
  if (isAddressLike(v)) {
    const out = { $: 'addr', address: v.address, family: v.family, port: ctx.port(v.port) };
    if (v.size !== undefined) out.size = v.size;
    return out;
  }
  const items = Object.keys(v).sort().map((k) => [k, describe(ctx, v[k], depth + 1)]);
  return { $: 'obj', items };
}

function describeError(ctx, e) {
  const out = { $: 'err', family: family(e), code: e.code ?? null,
                message: stripReceived(String(e.message)) };
  if (e.errno !== undefined) out.errno = Math.abs(e.errno);
  for (const key of ['syscall', 'address', 'port']) {
    if (e[key] !== undefined) out[key] = describe(ctx, e[key], 1);
  }
  return out;
}

// --- decoding values ----------------------------------------------------------------

function decode(ctx, v) {
  switch (v.t) {
    case 'u': return undefined;
    case 'null': return null;
    case 'n': return Number(v.v);
    case 's': return v.v;
    case 'b': return v.v;
    case 'buf': return decodeBuffer(v);
    case 'a': return v.items.map((x) => decode(ctx, x));
    case 'o': {
      const o = {};
      for (const [k, x] of v.items) o[k] = decode(ctx, x);
      return o;
    }
    case 'fn': return ctx.fn(v.name);
    case 'lookup': return ctx.lookup(v);
    case 'var': return ctx.vars.get(v.name);
    case 'signal': return ctx.vars.get(v.name)?.signal;
    case 'aborted': return AbortSignal.abort();
  }
  throw new Error(`unknown value tag ${v.t}`);
}

function decodeBuffer(v) {
  const raw = Buffer.from(v.hex, 'hex');
  switch (v.k) {
    case 'Buffer': return v.off ? raw.subarray(v.off) : raw;
    case 'Uint8Array': return new Uint8Array(raw);
    case 'DataView': return new DataView(new Uint8Array(raw).buffer);
    case 'Uint16Array': return new Uint16Array(new Uint8Array(raw).buffer);
  }
  throw new Error(`unknown buffer kind ${v.k}`);
}

// --- one case -----------------------------------------------------------------------

class Context {
  constructor(c) {
    this.case = c;
    this.records = [];
    this.vars = new Map();
    this.names = new Map();     // object -> its name in the case
    this.fns = new Map();
    this.ports = new Map();     // ephemeral port -> label
    this.pending = [];          // [{sock, any: [[kind, name], ...]}]
    this.step = -1;
    this.done = false;
  }

  record(r) {
    if (this.done) return;
    r.step = this.step;
    this.records.push(r);
    this.satisfy(r);
  }

  nameOf(v) {
    return this.names.get(v);
  }

  port(p) {
    if (typeof p !== 'number' || p < EPH_LO || p > EPH_HI) return describe(this, p);
    if (!this.ports.has(p)) this.ports.set(p, `EPH${this.ports.size + 1}`);
    return this.ports.get(p);
  }

  setVar(name, value) {
    this.vars.set(name, value);
    this.names.set(value, name);
  }

  fn(name) {
    if (!this.fns.has(name)) {
      const ctx = this;
      const f = function(...args) {
        ctx.record({ k: 'call', f: name, args: args.map((a) => describe(ctx, a)) });
      };
      this.fns.set(name, f);
      this.names.set(f, name);
    }
    return this.fns.get(name);
  }

  lookup(v) {
    if (!SAFE_LOOKUP_IPS.has(v.ip)) refuse(`lookup answers ${v.ip}`);
    if (!this.fns.has(v.name)) {
      const ctx = this;
      const f = function(address, fam, callback) {
        ctx.record({ k: 'call', f: v.name, args: [describe(ctx, address), describe(ctx, fam)] });
        if (v.mode === 'sync') callback(null, v.ip, v.family);
        else if (v.mode === 'tick') process.nextTick(callback, null, v.ip, v.family);
        else process.nextTick(callback, new Error('lookup failed'));
      };
      this.fns.set(v.name, f);
      this.names.set(f, v.name);
    }
    return this.fns.get(v.name);
  }

  expect(sock, any) {
    this.pending.push({ sock, any });
  }

  satisfy(r) {
    this.pending = this.pending.filter(({ sock, any }) => !any.some(([kind, name]) =>
      (kind === 'emit' && r.k === 'emit' && r.on === sock && r.ev === name) ||
      (kind === 'call' && r.k === 'call' && r.f === name)));
  }
}

function fnNames(values) {
  const out = [];
  for (const v of values) {
    if (v.t === 'fn') out.push(['call', v.name]);
    else if (v.t === 'a') out.push(...fnNames(v.items));
  }
  return out;
}

function checkSafe(step) {
  const positions = DESTINATION_POSITIONS[step.method];
  if (step.op !== 'call' || !positions) return;
  for (const i of positions) {
    const v = step.args[i];
    if (v && v.t === 's' && !SAFE_DESTINATIONS.has(v.v)) refuse(`${step.method} to ${v.v}`);
  }
}

function execute(ctx, st) {
  if (st.skip) {
    ctx.record({ k: 'skip', why: st.skip });
    return;
  }
  if (st.op === 'new') {
    ctx.setVar(st.var, st.cls === 'BlockList' ? new BlockList() : new AbortController());
    return;
  }
  if (st.op === 'call' && MEMBERSHIP.has(st.method) && !input.isolated) {
    ctx.record({ k: 'skip', why: 'membership outside a namespace' });
    return;
  }
  checkSafe(st);
  let target;
  if (st.op === 'call' || st.op === 'get') {
    target = ctx.vars.get(st.target);
    if (target === undefined) {
      ctx.record({ k: 'skip', why: `no ${st.target}` });
      return;
    }
  }
  const args = (st.args || []).map((v) => decode(ctx, v));
  let result;
  try {
    if (st.op === 'create') {
      result = dgram.createSocket(...args);
      ctx.setVar(st.var, result);
      owners.set(result, [ctx, st.var]);
    } else if (st.op === 'call') {
      result = target[st.method](...args);
    } else if (st.op === 'get') {
      result = target[st.prop];
    } else if (st.op === 'static') {
      result = BlockList[st.method](...args);
    }
  } catch (err) {
    ctx.record({ k: 'throw', e: describe(ctx, err) });
    return;
  }
  ctx.record({ k: 'ret', v: describe(ctx, result) });
  if (st.op !== 'call' || !ctx.vars.get(st.target) || !(target instanceof dgram.Socket)) return;
  const callbacks = fnNames(st.args);
  const sock = st.target;
  if (st.method === 'bind') {
    ctx.expect(sock, [['emit', 'listening'], ['emit', 'error'], ['emit', 'close']]);
  } else if (st.method === 'connect') {
    ctx.expect(sock, [['emit', 'connect'], ['emit', 'error'], ['emit', 'close'], ...callbacks]);
  } else if (st.method === 'send' && callbacks.length) {
    ctx.expect(sock, [['emit', 'error'], ['emit', 'close'], ...callbacks]);
  } else if (st.method === 'close') {
    ctx.expect(sock, [['emit', 'close'], ['emit', 'error']]);
  }
}

// Runs the loop until every pending expectation is met (or the time is up),
// then two more immediates, so that datagrams already sent are received.
function settle(ctx, done) {
  const start = Date.now();
  let n = 0;
  const quiet = (left) => (left ? setImmediate(quiet, left - 1) : done());
  const poll = () => {
    orphaned();
    if (ctx.pending.length === 0) return quiet(2);
    if (Date.now() - start > input.settle_ms) {
      ctx.record({ k: 'timeout', pending: ctx.pending.map((p) => p.sock).sort() });
      ctx.pending = [];
      return done();
    }
    if (n++ < 50) setImmediate(poll);
    else setTimeout(poll, 2);
  };
  setImmediate(poll);
}

let current = null;

// Every emit of a case's sockets is recorded, whenever it was scheduled: the
// hook sits on the prototype, installed before any socket exists.
const owners = new WeakMap();   // socket -> [context, name]
// A socket of a finished case may still emit an 'error' (a lookup that was
// in flight); nobody listens, so it is uncaught, and must not be counted
// against the case running then.
const retired = new WeakSet();
const stale = new WeakSet();
const originalEmit = dgram.Socket.prototype.emit;
dgram.Socket.prototype.emit = function(event, ...args) {
  if (retired.has(this) && event === 'error' && args[0] instanceof Object) stale.add(args[0]);
  const owner = owners.get(this);
  if (owner !== undefined) {
    const [ctx, name] = owner;
    const ev = typeof event === 'symbol' ? `Symbol(${event.description})` : event;
    ctx.record({ k: 'emit', on: name, ev, args: args.map((a) => describe(ctx, a)) });
  }
  return originalEmit.call(this, event, ...args);
};

process.on('uncaughtException', (err) => {
  if (err instanceof Object && stale.has(err)) return;
  if (current) current.record({ k: 'uncaught', e: describe(current, err) });
});

function runCase(c, done) {
  const ctx = new Context(c);
  current = ctx;
  const next = () => {
    while (ctx.step + 1 < c.steps.length) {
      ctx.step++;
      const st = c.steps[ctx.step];
      if (st.op === 'settle') return settle(ctx, next);
      execute(ctx, st);
    }
    finish();
  };
  const finish = () => {
    writeLine(JSON.stringify({ id: c.id, records: ctx.records }));
    ctx.done = true;
    current = null;
    // Whatever a case left open is closed quietly before the next one.
    for (const v of ctx.vars.values()) {
      if (v instanceof dgram.Socket) {
        owners.delete(v);
        retired.add(v);
        try { v.close(); } catch { /* closed already */ }
      }
    }
    setImmediate(done);
  };
  next();
}

let index = 0;
function nextCase() {
  orphaned();
  if (index >= input.cases.length) return;
  runCase(input.cases[index++], nextCase);
}
setImmediate(nextCase);
