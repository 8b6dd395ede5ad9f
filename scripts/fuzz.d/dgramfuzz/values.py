"""JS values and their Python twins, as the cases carry them (JSON), and as source.

A value is a small JSON object tagged by ``t``; both runners decode it into a
native value, and :func:`js_src` / :func:`py_src` write it as source.  The twin
rules are those of dgram_uv's docs: number = int or float (never bool),
string = str, Buffer/TypedArray/DataView = bytes/bytearray/memoryview,
Array = list or tuple, object = dict, function = callable.

``undefined`` and ``null`` need care, because Python has only ``None``:

* positionally, dgram_uv reads ``None`` as an omitted argument, i.e. JS
  ``undefined`` (``connect(port, None)`` connects to the default address as
  ``connect(port, undefined)`` does, where ``connect(port, null)`` throws);
  so a positional ``undefined`` is ``None`` and JS ``null`` is never passed
  positionally, having no twin there;
* inside an options mapping ``None`` is JS ``null`` (``{'signal': None}`` is
  ``{signal: null}``), and an ``undefined`` member is an absent key on both
  sides.

Tags: ``u`` undefined, ``null``, ``n`` number (``v`` is JS's own spelling of
it: ``'NaN'``, ``'-0'``, ``'1.5'``, ``'9007199254740994'``; ``f`` asks for a
Python float where the value is integral), ``s`` string, ``b`` boolean,
``buf`` (``k`` kind, ``hex`` bytes, ``off`` a view's start), ``a`` array
(``tuple``: a Python tuple), ``o`` object (``items`` [key, value] pairs),
``fn`` a recording function, ``lookup`` a ``lookup`` option function, ``var``
an object of the case (a BlockList), ``signal`` a controller's signal,
``aborted`` ``AbortSignal.abort()``.
"""

from __future__ import annotations

import json
import re
from typing import Any

Value = dict[str, Any]

U: Value = {'t': 'u'}
NULL: Value = {'t': 'null'}


def num(v: str | int | float, f: bool = False) -> Value:
    """A JS number, given as JS spells it (or as a Python int/float that spells the same)."""
    text = v if isinstance(v, str) else js_number(v)
    out: Value = {'t': 'n', 'v': text}
    if f:
        out['f'] = True
    return out


def s(v: str) -> Value:
    return {'t': 's', 'v': v}


def b(v: bool) -> Value:
    return {'t': 'b', 'v': v}


def buf(kind: str, data: bytes, off: int = 0) -> Value:
    out: Value = {'t': 'buf', 'k': kind, 'hex': data.hex()}
    if off:
        out['off'] = off
    return out


def arr(*items: Value, tuple_: bool = False) -> Value:
    out: Value = {'t': 'a', 'items': list(items)}
    if tuple_:
        out['tuple'] = True
    return out


def obj(*items: tuple[str, Value]) -> Value:
    return {'t': 'o', 'items': [[k, v] for k, v in items]}


def fn(name: str) -> Value:
    return {'t': 'fn', 'name': name}


def lookup(name: str, mode: str, ip: str, family: int) -> Value:
    """A ``lookup`` option: answers ``ip``/``family`` at once (``sync``), on the
    next tick (``tick``), or fails with an Error on the next tick (``error``)."""
    return {'t': 'lookup', 'name': name, 'mode': mode, 'ip': ip, 'family': family}


def var(name: str) -> Value:
    return {'t': 'var', 'name': name}


def signal(name: str) -> Value:
    return {'t': 'signal', 'name': name}


ABORTED: Value = {'t': 'aborted'}


# --- JS number spelling ---------------------------------------------------------------

def js_number(x: int | float) -> str:
    """``String(x)`` in JS for the double nearest ``x`` (``Object.is(x, -0)`` gives ``'-0'``)."""
    if isinstance(x, bool):
        raise TypeError('a bool is not a JS number')
    if isinstance(x, int):
        if abs(x) <= 2 ** 53:
            return str(x)
        try:
            x = float(x)
        except OverflowError:
            return 'Infinity' if x > 0 else '-Infinity'
    if x != x:
        return 'NaN'
    if x in (float('inf'), float('-inf')):
        return 'Infinity' if x > 0 else '-Infinity'
    if x == 0:
        return '-0' if str(x).startswith('-') else '0'
    sign = '-' if x < 0 else ''
    return sign + _js_positive(repr(abs(x)))


def _js_positive(r: str) -> str:
    # ECMAScript Number::toString from the shortest round-trip digits (Python's repr).
    mantissa, _, exp_text = r.partition('e')
    exp = int(exp_text) if exp_text else 0
    whole, _, frac = mantissa.partition('.')
    frac = frac.rstrip('0')
    digits = (whole + frac).lstrip('0')
    point = len(whole) + exp if whole.strip('0') else exp - (len(frac) - len(frac.lstrip('0')))
    digits = digits.rstrip('0')
    k, n = len(digits), point
    if k <= n <= 21:
        return digits + '0' * (n - k)
    if 0 < n <= 21:
        return digits[:n] + '.' + digits[n:]
    if -6 < n <= 0:
        return '0.' + '0' * (-n) + digits
    e = n - 1
    tail = f"e{'+' if e >= 0 else '-'}{abs(e)}"
    return (digits if k == 1 else digits[0] + '.' + digits[1:]) + tail


# --- decoding a number (both runners do the same) -------------------------------------

_INT_TEXT = re.compile(r'-?[0-9]+')


def py_number(v: Value) -> int | float:
    text: str = v['v']
    if _INT_TEXT.fullmatch(text) and text != '-0' and not v.get('f'):
        return int(text)
    return float(text)


# --- source -------------------------------------------------------------------------

_JS_IDENT = re.compile(r'[A-Za-z_$][A-Za-z0-9_$]*')


def js_src(v: Value) -> str:
    t = v['t']
    if t == 'u':
        return 'undefined'
    if t == 'null':
        return 'null'
    if t == 'n':
        return str(v['v'])
    if t == 's':
        return "'" + json.dumps(v['v'])[1:-1].replace("'", "\\'").replace('\\"', '"') + "'"
    if t == 'b':
        return 'true' if v['v'] else 'false'
    if t == 'buf':
        return _js_buf(v)
    if t == 'a':
        return '[' + ', '.join(js_src(item) for item in v['items']) + ']'
    if t == 'o':
        if not v['items']:
            return '{}'
        parts = [f'{k if _JS_IDENT.fullmatch(k) else js_src(s(k))}: {js_src(item)}'
                 for k, item in v['items']]
        return '{ ' + ', '.join(parts) + ' }'
    if t in ('fn', 'lookup', 'var'):
        return str(v['name'])
    if t == 'signal':
        return f"{v['name']}.signal"
    if t == 'aborted':
        return 'AbortSignal.abort()'
    raise ValueError(f'unknown value tag {t!r}')


def _js_buf(v: Value) -> str:
    kind, hexa, off = v['k'], v['hex'], v.get('off', 0)
    raw = f"Buffer.from('{hexa}', 'hex')"
    if kind == 'Buffer':
        return raw + (f'.subarray({off})' if off else '')
    if kind == 'Uint8Array':
        return f'new Uint8Array({raw})'
    if kind == 'DataView':
        return f'new DataView(new Uint8Array({raw}).buffer)'
    if kind == 'Uint16Array':
        return f'new Uint16Array(new Uint8Array({raw}).buffer)'
    raise ValueError(f'unknown buffer kind {kind!r}')


def py_src(v: Value) -> str:
    t = v['t']
    if t == 'u':
        return 'None'
    if t == 'null':
        return 'None'
    if t == 'n':
        return _py_number_src(py_number(v))
    if t == 's':
        return repr(v['v'])
    if t == 'b':
        return 'True' if v['v'] else 'False'
    if t == 'buf':
        return _py_buf(v)
    if t == 'a':
        items = [py_src(item) for item in v['items']]
        if v.get('tuple'):
            return '(' + ', '.join(items) + (',)' if len(items) == 1 else ')')
        return '[' + ', '.join(items) + ']'
    if t == 'o':
        return '{' + ', '.join(f'{k!r}: {py_src(item)}' for k, item in v['items']) + '}'
    if t in ('fn', 'lookup', 'var'):
        return str(v['name'])
    if t == 'signal':
        return f"{v['name']}.signal"
    if t == 'aborted':
        return 'dgram.AbortSignal.abort()'
    raise ValueError(f'unknown value tag {t!r}')


def _py_number_src(x: int | float) -> str:
    if isinstance(x, int):
        return str(x)
    if x != x:
        return "float('nan')"
    if x in (float('inf'), float('-inf')):
        return "float('inf')" if x > 0 else "-float('inf')"
    return repr(x)


def _py_buf(v: Value) -> str:
    kind, data, off = v['k'], bytes.fromhex(v['hex']), v.get('off', 0)
    if kind == 'Buffer':
        return f'memoryview({data!r})[{off}:]' if off else repr(data)
    if kind == 'Uint8Array':
        return f'bytearray({data!r})'
    if kind == 'DataView':
        return f'memoryview(bytearray({data!r}))'
    if kind == 'Uint16Array':
        return f"memoryview({data!r}).cast('H')"
    raise ValueError(f'unknown buffer kind {kind!r}')


def strings_in(v: Value) -> list[str]:
    """The string values anywhere inside ``v`` (the safety checks look at them)."""
    if v['t'] == 's':
        return [v['v']]
    if v['t'] == 'a':
        return [x for item in v['items'] for x in strings_in(item)]
    if v['t'] == 'o':
        return [x for _, item in v['items'] for x in strings_in(item)]
    return []
