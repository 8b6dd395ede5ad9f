"""A case as two standalone programs: JS for Node and its Python twin for dgram_uv.

Both print each call's result or error and every event of the case's sockets;
a ``settle`` step becomes a 100 ms timer (the runners wait for the pending
callbacks instead).  Paste them into a file and run them with
``.cache/node/bin/node`` and ``.venv/bin/python``.
"""

from __future__ import annotations

import json
from typing import Any

from .generate import Case, Step
from .names import python_name
from .values import Value, js_src, py_src

_JS_PRELUDE = """\
'use strict';
const dgram = require('dgram');
const { BlockList } = require('net');

const show = (...a) => console.log(...a.map((v) => (v instanceof Error ? `${v.code} ${v.message}`
  : v instanceof dgram.Socket ? '<Socket>' : v)));
const t = (label, f) => {
  try { const r = f(); show(label, '->', r); return r; } catch (e) { show(label, 'throws', e); }
};
const names = new Map();
const emit = dgram.Socket.prototype.emit;
dgram.Socket.prototype.emit = function(ev, ...a) {
  show(names.get(this), 'emits', ev, ...a);
  return emit.call(this, ev, ...a);
};
process.on('uncaughtException', (e) => show('uncaught', e));
const mk = (name, f) => { const s = t(`${name} = createSocket`, f); names.set(s, name); return s; };
"""

_PY_PRELUDE = """\
import dgram_uv as dgram


def show(*a):
    print(*(f'{getattr(v, "code", None)} {v}' if isinstance(v, BaseException)
            else '<Socket>' if isinstance(v, dgram.Socket) else v for v in a))


def t(label, f):
    try:
        r = f()
    except Exception as e:
        show(label, 'throws', e)
        return None
    show(label, '->', r)
    return r


names = {}
emit = dgram.Socket.emit


def recording_emit(self, ev, *a):
    show(names.get(id(self)), 'emits', ev, *a)
    return emit(self, ev, *a)


dgram.Socket.emit = recording_emit


def mk(name, f):
    s = t(f'{name} = create_socket', f)
    names[id(s)] = name
    return s
"""


def _functions(case: Case) -> dict[str, Value]:
    found: dict[str, Value] = {}

    def walk(v: Value) -> None:
        if v['t'] in ('fn', 'lookup'):
            found.setdefault(v['name'], v)
        elif v['t'] == 'a':
            for item in v['items']:
                walk(item)
        elif v['t'] == 'o':
            for _, item in v['items']:
                walk(item)
    for st in case['steps']:
        for v in st.get('args', []):
            walk(v)
    return dict(sorted(found.items()))


def _js_function(v: Value) -> str:
    if v['t'] == 'fn':
        return f"const {v['name']} = (...a) => show('{v['name']}', ...a);"
    answer = {'sync': f"cb(null, {json.dumps(v['ip'])}, {v['family']})",
              'tick': f"process.nextTick(cb, null, {json.dumps(v['ip'])}, {v['family']})",
              'error': "process.nextTick(cb, new Error('lookup failed'))"}[v['mode']]
    return (f"const {v['name']} = (address, family, cb) => {{ "
            f"show('{v['name']}', address, family); {answer}; }};")


def _py_function(v: Value) -> str:
    if v['t'] == 'fn':
        return f"def {v['name']}(*a):\n    show('{v['name']}', *a)\n"
    answer = {'sync': f"cb(None, {v['ip']!r}, {v['family']})",
              'tick': f"dgram.next_tick(cb, None, {v['ip']!r}, {v['family']})",
              'error': "dgram.next_tick(cb, Exception('lookup failed'))"}[v['mode']]
    return (f"def {v['name']}(address, family, cb):\n"
            f"    show('{v['name']}', address, family)\n    {answer}\n")


def _js_step(st: Step) -> str | None:
    args = ', '.join(js_src(v) for v in st.get('args', []))
    op = st['op']
    if op == 'new':
        return f"{st['var']} = new {st['cls']}();"
    if op == 'create':
        return f"{st['var']} = mk('{st['var']}', () => dgram.createSocket({args}));"
    if op == 'call':
        return f"t('{st['target']}.{st['method']}', () => {st['target']}.{st['method']}({args}));"
    if op == 'get':
        return f"t('{st['target']}.{st['prop']}', () => {st['target']}.{st['prop']});"
    if op == 'static':
        return f"t('{st['cls']}.{st['method']}', () => {st['cls']}.{st['method']}({args}));"
    return None


def _py_create_args(st: Step) -> str:
    args: list[Value] = st['args']
    if st.get('kw') and args and args[0]['t'] == 'o':
        parts = [f'{python_name(k)}={py_src(v)}' for k, v in args[0]['items'] if v['t'] != 'u']
        if len(args) > 1:
            parts.append(f'listener={py_src(args[1])}')
        return ', '.join(parts)
    return ', '.join(py_src(v) for v in args)


def _py_step(st: Step) -> str | None:
    args = ', '.join(py_src(v) for v in st.get('args', []))
    op = st['op']
    if op == 'new':
        return f"{st['var']} = dgram.{st['cls']}()"
    if op == 'create':
        create = f'dgram.create_socket({_py_create_args(st)})'
        return f"{st['var']} = mk('{st['var']}', lambda: {create})"
    if op == 'call':
        name = python_name(st['method'])
        return f"t('{st['target']}.{name}', lambda: {st['target']}.{name}({args}))"
    if op == 'get':
        return f"t('{st['target']}.{st['prop']}', lambda: {st['target']}.{st['prop']})"
    if op == 'static':
        name = python_name(st['method'])
        return f"t('{st['cls']}.{name}', lambda: dgram.{st['cls']}.{name}({args}))"
    return None


def _phases(case: Case) -> list[list[Step]]:
    phases: list[list[Step]] = [[]]
    for st in case['steps']:
        if st['op'] == 'settle':
            phases.append([])
        elif not st.get('skip'):
            phases[-1].append(st)
    while len(phases) > 1 and not phases[-1]:
        phases.pop()
    return phases


def _variables(case: Case) -> list[str]:
    return sorted({st['var'] for st in case['steps'] if 'var' in st})


def js_program(case: Case) -> str:
    lines = [f"// dgram fuzz case {case['seed']}:{case['id']}", _JS_PRELUDE]
    lines += [_js_function(v) for v in _functions(case).values()]
    variables = _variables(case)
    if variables:
        lines.append(f"let {', '.join(variables)};")
    phases = _phases(case)
    indent = ''
    for number, phase in enumerate(phases):
        if number:
            lines.append(f'{indent}setTimeout(() => {{')
            indent += '  '
        lines += [indent + text for st in phase if (text := _js_step(st))]
    for number in range(len(phases) - 1, 0, -1):
        lines.append('  ' * (number - 1) + '}, 100);')
    return '\n'.join(lines) + '\n'


def py_program(case: Case) -> str:
    lines = [f"# dgram fuzz case {case['seed']}:{case['id']}", _PY_PRELUDE]
    lines += [_py_function(v) for v in _functions(case).values()]
    variables = _variables(case)
    if variables:
        lines.append(' = '.join(variables) + ' = None')
    phases = _phases(case)
    lines += [text for st in phases[0] if (text := _py_step(st))]
    for number, phase in enumerate(phases[1:], 1):
        lines.append('')
        lines.append(f'def phase{number}():')
        if variables:
            lines.append(f"    global {', '.join(variables)}")
        lines += ['    ' + text for st in phase if (text := _py_step(st))]
        if number + 1 < len(phases):
            lines.append(f'    dgram.set_timeout(phase{number + 1}, 100)')
        if not phase and number + 1 >= len(phases):
            lines.append('    pass')
    if len(phases) > 1:
        lines.append('')
        lines.append('dgram.set_timeout(phase1, 100)')
    lines += ['while True:   # as Node goes on after an uncaught exception', '    try:',
              '        dgram.run()', '        break', '    except Exception as e:',
              "        show('uncaught', e)"]
    return '\n'.join(lines) + '\n'


def sources(case: Case) -> dict[str, Any]:
    return {'js': js_program(case), 'python': py_program(case)}
