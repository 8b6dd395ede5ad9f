"""Twins: one scenario written in JS for the Node oracle and in Python for
dgram_uv, run by the same small driver on each side, their records compared.

A scenario is a body ``(env) => { ... }`` / ``def body(env): ...`` using:

* ``env.mk(...)``: ``dgram.createSocket(...)``, recorded under the name
  ``s0``, ``s1`` ... (every event it emits is recorded: ``emit``);
* ``env.t(label, thunk)``: call ``thunk``; record what it returned (``ret``)
  or threw (``throw``), and return the value;
* ``env.fn(name)``: a function that records each call with its arguments
  (``call``), to pass as a callback or listener;
* ``env.note(label, ...values)``: record values.

After the body, the driver lets the loop run for ``SETTLE_MS``, closes every
socket still open and lets the closes finish; an exception no one caught is
recorded as ``uncaught`` (a Node process would die; both drivers go on).
Values are recorded as JSON: an error as its family (``RangeError`` =
Python's ``ValueError``), ``code``, message cut before Node's ``Received``
clause (which describes the JS or the Python value, by design), ``errno``
(positive), ``syscall``, ``address``, ``port``; a ``port`` member in Linux's
ephemeral range (the kernel's choice) as ``'EPH'``.  Everything runs on
loopback, or on no network at all.
"""

from __future__ import annotations

import json
import math
import subprocess
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import attrs

import dgram_uv as dgram
from dgram_uv._internal.events import _Symbol

NODE = Path(__file__).resolve().parent.parent / '.cache' / 'node' / 'bin' / 'node'
SETTLE_MS = 100

Twin = tuple[str, str, Callable[['Env'], object]]
"""(name, JS body, Python body)."""

_JS_DRIVER = r'''
'use strict';
const dgram = require('dgram');
const net = require('net');
const events = require('events');
const { BlockList } = net;
let current = null;
let names = new Map();
const desc = (v) => {
  if (v instanceof Error) {
    const family = v instanceof RangeError ? 'RangeError' : v instanceof TypeError ? 'TypeError'
      : 'Error';
    const out = { family, code: v.code ?? null, message: String(v.message).split(' Received')[0] };
    for (const k of ['errno', 'syscall', 'address', 'port']) {
      if (v[k] !== undefined && v[k] !== null) out[k] = k === 'errno' ? Math.abs(v[k]) : desc(v[k]);
    }
    return out;
  }
  if (v instanceof dgram.Socket) return `<socket ${names.get(v)}>`;
  if (v === undefined || v === null) return null;
  if (typeof v === 'number') return Number.isFinite(v) ? v : String(v);
  if (typeof v === 'symbol') return v.toString();
  if (typeof v === 'function') return `<function ${v.name}>`;
  if (ArrayBuffer.isView(v)) {
    return { bytes: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex') };
  }
  if (Array.isArray(v)) return v.map(desc);
  if (typeof v === 'object') {
    const out = {};
    for (const k of Object.keys(v)) out[k] = k === 'port' && ephemeral(v[k]) ? 'EPH' : desc(v[k]);
    return out;
  }
  return v;
};
const ephemeral = (p) => Number.isInteger(p) && p >= 32768 && p <= 60999;
const emit = dgram.Socket.prototype.emit;
dgram.Socket.prototype.emit = function(ev, ...args) {
  if (current && names.has(this)) current.push(['emit', names.get(this), desc(ev), args.map(desc)]);
  return emit.call(this, ev, ...args);
};
process.on('uncaughtException', (e) => { if (current) current.push(['uncaught', desc(e)]); });
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
async function runCase(body) {
  const rec = [];
  const sockets = [];
  current = rec;
  names = new Map();
  const env = {
    mk(...args) {
      const s = dgram.createSocket(...args);
      names.set(s, `s${sockets.length}`);
      sockets.push(s);
      return s;
    },
    t(label, f) {
      try {
        const r = f();
        rec.push(['ret', label, desc(r)]);
        return r;
      } catch (e) {
        rec.push(['throw', label, desc(e)]);
      }
    },
    fn(name) {
      return { [name]: (...args) => { rec.push(['call', name, args.map(desc)]); } }[name];
    },
    note(label, ...values) { rec.push(['note', label, values.map(desc)]); },
  };
  try { body(env); } catch (e) { rec.push(['uncaught', desc(e)]); }
  await sleep(SETTLE_MS);
  for (const s of sockets) { try { s.close(); } catch {} }
  await sleep(20);
  current = null;
  return rec;
}
(async () => {
  const out = {};
  for (const [name, body] of CASES) out[name] = await runCase(body);
  console.log(JSON.stringify(out));
})();
'''


def registrar(twins: list[Twin]) -> Callable[[str, str], Any]:
    """``@twin(name, js)`` for a module's list: the decorated function is the
    Python body of the JS body ``js``."""
    def twin(name: str, js: str) -> Any:
        def register(body: Any) -> Any:
            twins.append((name, js, body))
            return body
        return register
    return twin


def run_js(twins: list[Twin]) -> dict[str, Any]:
    """Every twin's JS body under the Node oracle: name -> records."""
    assert NODE.exists(), f'the Node oracle is missing: run scripts/setup ({NODE})'
    cases = ',\n'.join(f'[{json.dumps(name)}, (env) => {{\n{js}\n}}]' for name, js, _ in twins)
    program = f'const SETTLE_MS = {SETTLE_MS};\nconst CASES = [\n{cases}\n];\n{_JS_DRIVER}'
    proc = subprocess.run([str(NODE), '-e', program], capture_output=True, text=True,
                          timeout=120, check=False)
    assert proc.returncode == 0, f'node failed ({proc.returncode}): {proc.stderr}'
    result: dict[str, Any] = json.loads(proc.stdout)
    return result


class Env:
    """The Python side of ``env`` (see the module's docstring)."""

    def __init__(self) -> None:
        self.records: list[list[Any]] = []
        self.sockets: list[dgram.Socket] = []
        self.names: dict[int, str] = {}

    def mk(self, *args: Any, **kwargs: Any) -> dgram.Socket:
        sock = dgram.create_socket(*args, **kwargs)
        self.names[id(sock)] = f's{len(self.sockets)}'
        self.sockets.append(sock)
        return sock

    def t(self, label: str, thunk: Callable[[], Any]) -> Any:
        try:
            value = thunk()
        except Exception as err:   # what the JS side catches
            self.records.append(['throw', label, self.desc(err)])
            return None
        self.records.append(['ret', label, self.desc(value)])
        return value

    def fn(self, name: str) -> Callable[..., None]:
        def recorder(*args: Any) -> None:
            self.records.append(['call', name, [self.desc(a) for a in args]])
        recorder.__name__ = name
        return recorder

    def note(self, label: str, *values: Any) -> None:
        self.records.append(['note', label, [self.desc(v) for v in values]])

    def desc(self, value: Any) -> Any:
        """A value as the JS driver's ``desc`` writes its twin."""
        if isinstance(value, BaseException):
            family = ('RangeError' if isinstance(value, ValueError) else
                      'TypeError' if isinstance(value, TypeError) else 'Error')
            out: dict[str, Any] = {'family': family, 'code': getattr(value, 'code', None),
                                   'message': str(value).split(' Received')[0]}
            for key in ('errno', 'syscall', 'address', 'port'):
                item = getattr(value, key, None)
                if item is not None:
                    out[key] = abs(item) if key == 'errno' else self.desc(item)
            return out
        if isinstance(value, dgram.Socket):
            return f'<socket {self.names.get(id(value))}>'
        if value is None or isinstance(value, (bool, str)):
            return value
        if isinstance(value, (int, float)):
            return value if math.isfinite(value) else ('NaN' if value != value else
                                                       'Infinity' if value > 0 else '-Infinity')
        if isinstance(value, _Symbol):
            return repr(value)
        if callable(value):
            name = getattr(value, '__name__', '')
            return f'<function {"" if name == "<lambda>" else name}>'
        if isinstance(value, (bytes, bytearray, memoryview)):
            return {'bytes': bytes(value).hex()}
        if isinstance(value, (list, tuple)):
            return [self.desc(v) for v in value]
        if isinstance(value, Mapping) or attrs.has(type(value)):
            items = value.items() if isinstance(value, Mapping) else attrs.asdict(value).items()
            return {str(k): 'EPH' if k == 'port' and _ephemeral(v) else self.desc(v)
                    for k, v in items}
        return repr(value)


def _ephemeral(port: object) -> bool:
    # A port the kernel chose (Linux's ephemeral range) differs from run to run.
    return type(port) is int and 32768 <= port <= 60999


def run_py(body: Callable[[Env], object]) -> list[list[Any]]:
    """One twin's Python body on dgram_uv, as the JS driver runs its own."""
    env = Env()
    original = dgram.Socket.emit

    def recording_emit(sock: dgram.Socket, event: Any, *args: Any) -> bool:
        if id(sock) in env.names:
            env.records.append(['emit', env.names[id(sock)], env.desc(event),
                                [env.desc(a) for a in args]])
        return original(sock, event, *args)

    def finish() -> None:
        for sock in env.sockets:
            try:
                sock.close()
            except Exception:   # already closed: as the JS driver's empty catch
                pass
    dgram.Socket.emit = recording_emit  # type: ignore[method-assign]
    try:
        try:
            body(env)
        except Exception as err:
            env.records.append(['uncaught', env.desc(err)])
        dgram.set_timeout(finish, SETTLE_MS)
        while True:
            try:
                dgram.run()
                break
            except Exception as err:   # a Node process would die; the driver goes on
                env.records.append(['uncaught', env.desc(err)])
    finally:
        dgram.Socket.emit = original  # type: ignore[method-assign]
    return env.records


def comparison_tests(twins: list[Twin]) -> tuple[Any, Any]:
    """The module-scoped fixture running every twin's JS under the oracle once,
    and the test comparing each twin's Python with it (pytest collects both by
    the names a test module gives them)."""
    import pytest

    @pytest.fixture(scope='module')
    def node_records() -> dict[str, Any]:
        return run_js(twins)

    @pytest.mark.parametrize('name', [name for name, _, _ in twins])
    def test_twin_matches_node(name: str, node_records: dict[str, Any]) -> None:
        body = next(py for twin_name, _, py in twins if twin_name == name)
        assert run_py(body) == node_records[name]

    return node_records, test_twin_matches_node
