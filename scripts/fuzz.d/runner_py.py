"""The dgram_uv side of the fuzzer: the twin of runner.js.

Reads ``{cases, settle_ms, ephemeral, isolated}`` as JSON on stdin, runs each
case on dgram_uv (public API only) and writes one JSON line per case,
``{id, records}``, in the shapes runner.js uses.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable, Mapping
from typing import Any

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from dgramfuzz.names import python_name
from dgramfuzz.safety import (
    MEMBERSHIP_METHODS,
    SAFE_LOOKUP_IPS,
    step_is_safe,
)
from dgramfuzz.values import js_number, py_number

import dgram_uv as dgram

Record = dict[str, Any]

INPUT: dict[str, Any] = json.load(sys.stdin)
EPH_LO, EPH_HI = INPUT['ephemeral']
OUT = sys.stdout


# The runner ends with the fuzzer that started it (whose pipe it writes to).
PARENT = os.getppid()


def orphaned() -> None:
    if os.getppid() != PARENT:
        os._exit(1)


def write_line(text: str) -> None:
    try:
        OUT.write(text + '\n')
        OUT.flush()
    except OSError:
        os._exit(1)


def refuse(why: str) -> None:
    sys.stderr.write(f'runner_py.py: SAFETY: {why}\n')
    sys.stderr.flush()
    os._exit(3)


# --- describing values ----------------------------------------------------------------

def strip_received(message: str) -> str:
    index = message.find(' Received')
    return message if index == -1 else message[:index]


def family(err: BaseException) -> str:
    if isinstance(err, TypeError):
        return 'TypeError'
    if isinstance(err, ValueError):
        return 'RangeError'
    return 'Error'


def _address_fields(v: Any) -> dict[str, Any] | None:
    if isinstance(v, Mapping):
        keys = sorted(v)
        if keys in (['address', 'family', 'port'], ['address', 'family', 'port', 'size']):
            return dict(v)
        return None
    if all(hasattr(v, name) for name in ('address', 'family', 'port')) and \
            not callable(v.address):
        fields = {name: getattr(v, name) for name in ('address', 'family', 'port')}
        if getattr(v, 'size', None) is not None:
            fields['size'] = v.size
        return fields
    return None


def describe(ctx: Context, v: Any, depth: int = 0) -> Any:
    if v is None:
        return None
    if isinstance(v, (bool, str)):
        return v
    if isinstance(v, (int, float)):
        return {'$': 'n', 'v': js_number(v)}
    if type(v).__name__ == '_Symbol':
        return {'$': 'sym', 'd': v.description}
    name = ctx.name_of(v)
    if callable(v) and not isinstance(v, type):
        return {'$': 'fn', 'name': name or '?'}
    if name is not None:
        return {'$': 'var', 'name': name}
    if isinstance(v, BaseException):
        return describe_error(ctx, v)
    if isinstance(v, (bytes, bytearray, memoryview)):
        return {'$': 'bytes', 'hex': bytes(v).hex()}
    if depth > 3:
        return {'$': 'deep'}
    if isinstance(v, (list, tuple)):
        return {'$': 'arr', 'items': [describe(ctx, x, depth + 1) for x in v]}
    fields = _address_fields(v)
    if fields is not None:
        out = {'$': 'addr', 'address': fields['address'], 'family': fields['family'],
               'port': ctx.port(fields['port'])}
        if 'size' in fields:
            out['size'] = fields['size']
        return out
    if isinstance(v, Mapping):
        return {'$': 'obj', 'items': [[str(k), describe(ctx, v[k], depth + 1)]
                                      for k in sorted(v, key=str)]}
    return {'$': 'py', 'type': type(v).__name__}


def describe_error(ctx: Context, e: BaseException) -> Record:
    out: Record = {'$': 'err', 'family': family(e), 'code': getattr(e, 'code', None),
                   'message': strip_received(str(e))}
    errno = getattr(e, 'errno', None)
    if errno is not None:
        out['errno'] = abs(errno)
    for key in ('syscall', 'address', 'port'):
        value = getattr(e, key, None)
        if value is not None:
            out[key] = describe(ctx, value, 1)
    # Not compared: which Python class it was, for the report.
    out['pyclass'] = f'{type(e).__module__}.{type(e).__qualname__}'
    return out


# --- decoding values ------------------------------------------------------------------

def decode(ctx: Context, v: dict[str, Any]) -> Any:
    t = v['t']
    if t in ('u', 'null'):
        return None
    if t == 'n':
        return py_number(v)
    if t in ('s', 'b'):
        return v['v']
    if t == 'buf':
        return decode_buffer(v)
    if t == 'a':
        items = [decode(ctx, x) for x in v['items']]
        return tuple(items) if v.get('tuple') else items
    if t == 'o':
        # An undefined member is an absent key; a null one is None.
        return {k: decode(ctx, x) for k, x in v['items'] if x['t'] != 'u'}
    if t == 'fn':
        return ctx.fn(v['name'])
    if t == 'lookup':
        return ctx.lookup(v)
    if t == 'var':
        return ctx.vars.get(v['name'])
    if t == 'signal':
        controller = ctx.vars.get(v['name'])
        return None if controller is None else controller.signal
    if t == 'aborted':
        return dgram.AbortSignal.abort()
    raise ValueError(f'unknown value tag {t!r}')


def decode_buffer(v: dict[str, Any]) -> Any:
    raw = bytes.fromhex(v['hex'])
    kind = v['k']
    if kind == 'Buffer':
        return memoryview(raw)[v['off']:] if v.get('off') else raw
    if kind == 'Uint8Array':
        return bytearray(raw)
    if kind == 'DataView':
        return memoryview(bytearray(raw))
    if kind == 'Uint16Array':
        return memoryview(raw).cast('H')
    raise ValueError(f'unknown buffer kind {kind!r}')


# --- one case -------------------------------------------------------------------------

class Context:
    def __init__(self, case: dict[str, Any]) -> None:
        self.case = case
        self.records: list[Record] = []
        self.vars: dict[str, Any] = {}
        self.names: dict[int, str] = {}       # id(object) -> its name in the case
        self.keep: list[Any] = []             # keeps named objects alive (ids stay unique)
        self.fns: dict[str, Callable[..., None]] = {}
        self.ports: dict[int, str] = {}
        self.pending: list[tuple[str, list[tuple[str, str]]]] = []
        self.step = -1
        self.done = False

    def record(self, r: Record) -> None:
        if self.done:
            return
        r['step'] = self.step
        self.records.append(r)
        self.satisfy(r)

    def name_of(self, v: Any) -> str | None:
        return self.names.get(id(v))

    def port(self, p: Any) -> Any:
        if isinstance(p, bool) or not isinstance(p, int) or not EPH_LO <= p <= EPH_HI:
            return describe(self, p)
        return self.ports.setdefault(p, f'EPH{len(self.ports) + 1}')

    def set_var(self, name: str, value: Any) -> None:
        self.vars[name] = value
        self.names[id(value)] = name
        self.keep.append(value)

    def _named(self, name: str, f: Callable[..., None]) -> Callable[..., None]:
        self.fns[name] = f
        self.names[id(f)] = name
        self.keep.append(f)
        return f

    def fn(self, name: str) -> Callable[..., None]:
        if name not in self.fns:
            def f(*args: Any) -> None:
                self.record({'k': 'call', 'f': name, 'args': [describe(self, a) for a in args]})
            self._named(name, f)
        return self.fns[name]

    def lookup(self, v: dict[str, Any]) -> Callable[..., None]:
        if v['ip'] not in SAFE_LOOKUP_IPS:
            refuse(f"lookup answers {v['ip']}")
        if v['name'] not in self.fns:
            def f(address: Any, fam: Any, callback: Callable[..., Any]) -> None:
                self.record({'k': 'call', 'f': v['name'],
                             'args': [describe(self, address), describe(self, fam)]})
                if v['mode'] == 'sync':
                    callback(None, v['ip'], v['family'])
                elif v['mode'] == 'tick':
                    dgram.next_tick(callback, None, v['ip'], v['family'])
                else:
                    dgram.next_tick(callback, Exception('lookup failed'))
            self._named(v['name'], f)
        return self.fns[v['name']]

    def expect(self, sock: str, any_: list[tuple[str, str]]) -> None:
        self.pending.append((sock, any_))

    def satisfy(self, r: Record) -> None:
        def met(sock: str, any_: list[tuple[str, str]]) -> bool:
            return any((kind == 'emit' and r['k'] == 'emit' and r['on'] == sock
                        and r['ev'] == name) or
                       (kind == 'call' and r['k'] == 'call' and r['f'] == name)
                       for kind, name in any_)
        self.pending = [(s, a) for s, a in self.pending if not met(s, a)]


# Every emit of a case's sockets is recorded, whenever it was scheduled: the
# hook sits on the class, installed before any socket exists.
OWNERS: dict[int, tuple[Context, str]] = {}   # id(socket) -> (context, name)
# A socket of a finished case may still emit an 'error' (a lookup that was in
# flight); nobody listens, so it is uncaught, and must not be counted against
# the case running then.  Retired sockets are kept alive so ids stay unique.
RETIRED: dict[int, Any] = {}
STALE: dict[int, BaseException] = {}
_original_emit = dgram.Socket.emit


def _recording_emit(self: Any, event: Any, *args: Any) -> Any:
    if id(self) in RETIRED and event == 'error' and args and isinstance(args[0], BaseException):
        STALE[id(args[0])] = args[0]
    owner = OWNERS.get(id(self))
    if owner is not None:
        ctx, name = owner
        ev = event if isinstance(event, str) else f'Symbol({event.description})'
        ctx.record({'k': 'emit', 'on': name, 'ev': ev, 'args': [describe(ctx, a) for a in args]})
    return _original_emit(self, event, *args)


dgram.Socket.emit = _recording_emit  # type: ignore[method-assign]


def fn_names(values: list[dict[str, Any]]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for v in values:
        if v['t'] == 'fn':
            out.append(('call', v['name']))
        elif v['t'] == 'a':
            out.extend(fn_names(v['items']))
    return out


def create_socket(st: dict[str, Any], args: list[Any]) -> Any:
    if st.get('kw') and args and isinstance(args[0], dict):
        keywords = {python_name(k): v for k, v in args[0].items()}
        if len(args) > 1:
            keywords['listener'] = args[1]
        return dgram.create_socket(**keywords)
    return dgram.create_socket(*args)


def execute(ctx: Context, st: dict[str, Any]) -> None:
    if st.get('skip'):
        ctx.record({'k': 'skip', 'why': st['skip']})
        return
    op = st['op']
    if op == 'new':
        cls = dgram.BlockList if st['cls'] == 'BlockList' else dgram.AbortController
        ctx.set_var(st['var'], cls())
        return
    if op == 'call' and st['method'] in MEMBERSHIP_METHODS and not INPUT['isolated']:
        ctx.record({'k': 'skip', 'why': 'membership outside a namespace'})
        return
    if not step_is_safe(st):
        refuse(f'{st}')
    target = None
    if op in ('call', 'get'):
        target = ctx.vars.get(st['target'])
        if target is None:
            ctx.record({'k': 'skip', 'why': f"no {st['target']}"})
            return
    args = [decode(ctx, v) for v in st.get('args', [])]
    try:
        if op == 'create':
            result = create_socket(st, args)
            ctx.set_var(st['var'], result)
            OWNERS[id(result)] = (ctx, st['var'])
        elif op == 'call':
            result = getattr(target, python_name(st['method']))(*args)
        elif op == 'get':
            result = getattr(target, python_name(st['prop']))
        else:
            result = getattr(dgram.BlockList, python_name(st['method']))(*args)
    except Exception as err:
        ctx.record({'k': 'throw', 'e': describe(ctx, err)})
        return
    ctx.record({'k': 'ret', 'v': describe(ctx, result)})
    if op != 'call' or not isinstance(target, dgram.Socket):
        return
    callbacks = fn_names(st['args'])
    sock, method = st['target'], st['method']
    if method == 'bind':
        ctx.expect(sock, [('emit', 'listening'), ('emit', 'error'), ('emit', 'close')])
    elif method == 'connect':
        ctx.expect(sock, [('emit', 'connect'), ('emit', 'error'), ('emit', 'close'), *callbacks])
    elif method == 'send' and callbacks:
        ctx.expect(sock, [('emit', 'error'), ('emit', 'close'), *callbacks])
    elif method == 'close':
        ctx.expect(sock, [('emit', 'close'), ('emit', 'error')])


def settle(ctx: Context, done: Callable[[], None]) -> None:
    start = time.monotonic()
    polls = [0]

    def quiet(left: int) -> None:
        if left:
            dgram.set_immediate(quiet, left - 1)
        else:
            done()

    def poll() -> None:
        orphaned()
        if not ctx.pending:
            quiet(2)
            return
        if (time.monotonic() - start) * 1000 > INPUT['settle_ms']:
            ctx.record({'k': 'timeout', 'pending': sorted(s for s, _ in ctx.pending)})
            ctx.pending = []
            done()
            return
        polls[0] += 1
        if polls[0] < 50:
            dgram.set_immediate(poll)
        else:
            dgram.set_timeout(poll, 2)
    dgram.set_immediate(poll)


class Driver:
    def __init__(self) -> None:
        self.index = 0
        self.current: Context | None = None

    def next_case(self) -> None:
        orphaned()
        if self.index >= len(INPUT['cases']):
            return
        case = INPUT['cases'][self.index]
        self.index += 1
        self.run_case(case)

    def run_case(self, case: dict[str, Any]) -> None:
        ctx = Context(case)
        self.current = ctx
        steps = case['steps']

        def advance() -> None:
            while ctx.step + 1 < len(steps):
                ctx.step += 1
                st = steps[ctx.step]
                if st['op'] == 'settle':
                    settle(ctx, advance)
                    return
                execute(ctx, st)
            finish()

        def finish() -> None:
            write_line(json.dumps({'id': case['id'], 'records': ctx.records}))
            ctx.done = True
            self.current = None
            for value in ctx.vars.values():   # whatever the case left open, closed quietly
                if isinstance(value, dgram.Socket):
                    OWNERS.pop(id(value), None)
                    RETIRED[id(value)] = value
                    try:
                        value.close()
                    except Exception:
                        pass
            dgram.set_immediate(self.next_case)
        advance()

    def uncaught(self, exc: BaseException) -> None:
        if STALE.get(id(exc)) is exc:
            return
        if self.current is not None:
            self.current.record({'k': 'uncaught', 'e': describe(self.current, exc)})


def main() -> None:
    driver = Driver()
    dgram.set_immediate(driver.next_case)
    while True:
        try:
            dgram.run()
        except Exception as exc:
            driver.uncaught(exc)
            continue
        break


if __name__ == '__main__':
    main()
