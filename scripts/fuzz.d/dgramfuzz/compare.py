"""Comparing the two runners' records of a case, and naming the difference.

A record is one fact: ``ret`` (a call returned a value), ``throw``, ``emit``
(a socket emitted an event), ``call`` (a function of the case was called),
``uncaught`` (an exception no one caught), ``timeout`` (pending callbacks
that never came), ``skip`` and ``crash``.  Records are compared in order and
in full, except ``pyclass`` (which Python class was raised, for the report).
A mismatch's class is named after its first differing record: the call, what
Node did there and what dgram_uv did (``send: node throws ERR_SOCKET_BAD_PORT |
dgram_uv returns``), so one root cause collects its cases under one name.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .generate import Case

Record = dict[str, Any]

_IGNORED = ('pyclass',)


def clean(value: Any) -> Any:
    """``value`` without the fields that are not compared."""
    if isinstance(value, dict):
        return {k: clean(v) for k, v in value.items() if k not in _IGNORED}
    if isinstance(value, list):
        return [clean(v) for v in value]
    return value


@dataclass
class Mismatch:
    case: Case
    node: list[Record]
    python: list[Record]
    index: int          # the first differing record
    key: str            # the difference class


def compare(case: Case, node: list[Record], python: list[Record]) -> Mismatch | None:
    a, b = clean(node), clean(python)
    if a == b:
        return None
    index = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y),
                 min(len(a), len(b)))
    x = node[index] if index < len(node) else None
    y = python[index] if index < len(python) else None
    return Mismatch(case, node, python, index, class_key(case, x, y))


def _where(case: Case, x: Record | None, y: Record | None) -> str:
    step_index = min(r['step'] for r in (x, y) if r is not None)
    if step_index < 0:
        return 'case'
    st = case['steps'][step_index]
    op = st['op']
    if op == 'settle':
        return 'events'
    if op == 'create':
        return 'createSocket'
    if op == 'call':
        target = 'BlockList.' if st['target'].startswith('b') else \
            'AbortController.' if st['target'].startswith('c') else ''
        return target + str(st['method'])
    if op == 'get':
        return f"BlockList.{st['prop']}"
    if op == 'static':
        return f"{st['cls']}.{st['method']}"
    return str(op)


def _error_name(e: Any) -> str:
    if isinstance(e, dict) and e.get('$') == 'err':
        return str(e.get('code') or e.get('family'))
    return ''


def summary(r: Record | None) -> str:
    """What a record says, in a few words (codes, not messages)."""
    if r is None:
        return 'nothing more'
    k = r['k']
    if k == 'ret':
        return 'returns'
    if k in ('throw', 'uncaught'):
        return f"{'throws' if k == 'throw' else 'uncaught'} {_error_name(r['e'])}"
    if k == 'emit':
        err = _error_name(r['args'][0]) if r['args'] else ''
        return f"emits {r['ev']}" + (f' {err}' if err else '')
    if k == 'call':
        err = _error_name(r['args'][0]) if r['args'] else ''
        what = 'lookup' if r['f'].startswith('lk') else 'callback'
        return f'calls {what}' + (f' {err}' if err else '')
    return str(k)


def _detail(x: Record, y: Record) -> str:
    x, y = clean(x), clean(y)
    if x['k'] != y['k']:
        return ''
    fields = sorted(k for k in set(x) | set(y) if x.get(k) != y.get(k))
    if fields == ['e'] or fields == ['args']:
        inner_x = x.get('e') or (x['args'][0] if x['args'] else {})
        inner_y = y.get('e') or (y['args'][0] if y['args'] else {})
        if isinstance(inner_x, dict) and isinstance(inner_y, dict):
            sub = sorted(k for k in set(inner_x) | set(inner_y)
                         if inner_x.get(k) != inner_y.get(k))
            if sub:
                return ' (' + ', '.join(sub) + ' differ)'
    if x['k'] == 'emit' and x.get('on') != y.get('on'):
        return ' (on another socket)'
    return ' (' + ', '.join(f for f in fields if f != 'step') + ' differ)' \
        if fields != ['step'] else ' (at another step)'


def _python_arity(r: Record | None) -> str | None:
    # Python's own TypeError for a call with too few or too many arguments.
    if r is None or r['k'] != 'throw' or r['e'].get('pyclass') != 'builtins.TypeError':
        return None
    message = r['e'].get('message', '')
    if 'required positional argument' in message:
        return 'a missing argument'
    if 'positional argument' in message and 'were given' in message:
        return 'an extra argument'
    return None


def class_key(case: Case, x: Record | None, y: Record | None) -> str:
    where = _where(case, x, y)
    arity = _python_arity(y)
    if arity is not None:
        return f"{where}: dgram_uv raises Python's TypeError for {arity}"
    sx, sy = summary(x), summary(y)
    if x is not None and y is not None and sx == sy:
        return f'{where}: {sx}{_detail(x, y)}'
    return f'{where}: node {sx} | dgram_uv {sy}'


# --- records as text ------------------------------------------------------------------

def value_text(v: Any) -> str:
    if v is None:
        return 'null'
    if isinstance(v, bool):
        return 'true' if v else 'false'
    if isinstance(v, str):
        return repr(v)
    if not isinstance(v, dict):
        return str(v)
    tag = v.get('$')
    if tag == 'n':
        return str(v['v'])
    if tag == 'err':
        extra = ''.join(f' {k}={value_text(v[k])}' for k in ('errno', 'syscall', 'address', 'port')
                        if k in v)
        py = f" [{v['pyclass']}]" if 'pyclass' in v else ''
        return f"{v['family']} {v['code'] or '(no code)'}: {v['message']!r}{extra}{py}"
    if tag == 'bytes':
        return f"<bytes {v['hex']}>"
    if tag == 'arr':
        return '[' + ', '.join(value_text(x) for x in v['items']) + ']'
    if tag == 'obj':
        return '{' + ', '.join(f'{k}: {value_text(x)}' for k, x in v['items']) + '}'
    if tag == 'addr':
        size = f", size: {v['size']}" if 'size' in v else ''
        return f"{{address: {v['address']!r}, family: {v['family']!r}, port: {v['port']}{size}}}"
    if tag in ('var', 'fn'):
        return str(v['name'])
    if tag == 'sym':
        return f"Symbol({v['d']})"
    if tag == 'py':
        return f"<Python {v['type']}>"
    return str(v)


def step_text(case: Case, index: int) -> str:
    if index < 0:
        return ''
    st = case['steps'][index]
    if st['op'] == 'create':
        return f"{st['var']} = createSocket"
    if st['op'] == 'call':
        return f"{st['target']}.{st['method']}"
    if st['op'] == 'get':
        return f"{st['target']}.{st['prop']}"
    if st['op'] == 'static':
        return f"{st['cls']}.{st['method']}"
    return str(st['op'])


def record_text(case: Case, r: Record) -> str:
    k = r['k']
    where = f"#{r['step']} "
    if k == 'ret':
        return where + f"{step_text(case, r['step'])} -> {value_text(r['v'])}"
    if k == 'throw':
        return where + f"{step_text(case, r['step'])} throws {value_text(r['e'])}"
    if k == 'uncaught':
        return where + f"uncaught {value_text(r['e'])}"
    if k == 'emit':
        args = ', '.join(value_text(a) for a in r['args'])
        return where + f"  {r['on']} emits {r['ev']}({args})"
    if k == 'call':
        return where + f"  {r['f']}({', '.join(value_text(a) for a in r['args'])})"
    if k == 'timeout':
        return where + f"settle timed out waiting for {', '.join(r['pending'])}"
    if k == 'skip':
        return where + f"skipped: {r['why']}"
    return where + f"{k}: {r.get('why', '')}"


def diff_text(m: Mismatch, context: int = 3) -> str:
    """Node's records and dgram_uv's, from a little before the first difference."""
    start = max(0, m.index - context)
    lines = []
    for label, records in (('node', m.node), ('dgram_uv', m.python)):
        lines.append(f'  {label}:')
        if start:
            lines.append('    ...')
        for i, r in enumerate(records[start:], start):
            mark = '>' if i == m.index else ' '
            lines.append(f'  {mark} {record_text(m.case, r)}')
        if len(records) <= m.index:
            lines.append('  > (nothing more)')
    return '\n'.join(lines)

