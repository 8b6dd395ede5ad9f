"""The differential fuzzer, scripts/fuzz (docs/fuzz.md).

First the fuzzer itself: its number spelling against Node's, reproducible and
loopback-only generation, both runners on hand-written cases whose outcome
Node settles, the refusal of an unsafe case, the comparison and the
programs it writes.  Then the corpus (the minimal cases of the differences
fuzzing found) and a short fixed-seed run: every case must behave on dgram_uv
as on Node.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
FUZZ_D = ROOT / 'scripts' / 'fuzz.d'
sys.path.insert(0, str(FUZZ_D))

from dgramfuzz import values as V  # noqa: E402
from dgramfuzz.compare import clean, compare, diff_text  # noqa: E402
from dgramfuzz.corpus import ENTRIES, corpus_cases  # noqa: E402
from dgramfuzz.generate import generate, generate_case  # noqa: E402
from dgramfuzz.render import js_program, py_program  # noqa: E402
from dgramfuzz.run import NODE, PYTHON, Runner, SafetyStop, isolation_prefix  # noqa: E402
from dgramfuzz.safety import SAFE_DESTINATIONS, step_is_safe  # noqa: E402

# The runners run in network namespaces of their own, as scripts/parity's do
# (root or user namespaces): nothing a case does can leave the machine.
ISOLATION = isolation_prefix()


def isolated() -> list[str]:
    assert ISOLATION is not None, 'the fuzz runners need unshare --net (root or user namespaces)'
    return ISOLATION


def create(var: str, *args: V.Value) -> dict[str, Any]:
    return {'op': 'create', 'var': var, 'args': list(args)}


def call(target: str, method: str, *args: V.Value) -> dict[str, Any]:
    return {'op': 'call', 'target': target, 'method': method, 'args': list(args)}


SETTLE = {'op': 'settle'}


def sock(name: str) -> dict[str, str]:
    return {'$': 'var', 'name': name}


def ret(step: int, value: Any) -> dict[str, Any]:
    return {'k': 'ret', 'v': value, 'step': step}


def emit(step: int, on: str, ev: str, *args: Any) -> dict[str, Any]:
    return {'k': 'emit', 'on': on, 'ev': ev, 'args': list(args), 'step': step}


def called(step: int, f: str, *args: Any) -> dict[str, Any]:
    return {'k': 'call', 'f': f, 'args': list(args), 'step': step}


def n(text: str) -> dict[str, str]:
    return {'$': 'n', 'v': text}


BIND_ERROR = {'$': 'err', 'family': 'Error', 'code': 'EADDRINUSE',
              'message': 'bind EADDRINUSE 127.0.0.1:12345', 'errno': 98, 'syscall': 'bind',
              'address': '127.0.0.1', 'port': n('12345')}

# Hand-written cases and what Node v23.5.0 records for them (settled by the oracle).
KNOWN: list[tuple[list[dict[str, Any]], list[dict[str, Any]]]] = [
    ([create('s0', V.s('udp4')), call('s0', 'bind', V.num(0), V.s('127.0.0.1'), V.fn('f1')),
      SETTLE, call('s0', 'address'), call('s0', 'close'), SETTLE],
     [ret(0, sock('s0')), ret(1, sock('s0')), emit(2, 's0', 'listening'), called(2, 'f1'),
      ret(3, {'$': 'addr', 'address': '127.0.0.1', 'family': 'IPv4', 'port': 'EPH1'}),
      ret(4, sock('s0')), emit(5, 's0', 'close')]),
    # A datagram from one socket to another; the sender's port is the first ephemeral one.
    ([create('s0', V.s('udp4')), create('s1', V.obj(('type', V.s('udp4')))),
      call('s0', 'bind', V.num(12345), V.s('127.0.0.1')), SETTLE,
      call('s1', 'send', V.s('hi'), V.num(12345), V.s('127.0.0.1'), V.fn('f1')), SETTLE,
      call('s0', 'close'), call('s1', 'close'), SETTLE],
     [ret(0, sock('s0')), ret(1, sock('s1')), ret(2, sock('s0')), emit(3, 's0', 'listening'),
      ret(4, None), emit(5, 's1', 'listening'), called(5, 'f1', None, n('2')),
      emit(5, 's0', 'message', {'$': 'bytes', 'hex': '6869'},
           {'$': 'addr', 'address': '127.0.0.1', 'family': 'IPv4', 'port': 'EPH1', 'size': 2}),
      ret(6, sock('s0')), ret(7, sock('s1')), emit(8, 's0', 'close'), emit(8, 's1', 'close')]),
    # Synchronous errors (the "Received ..." clause cut), BlockList.
    ([{'op': 'new', 'var': 'b0', 'cls': 'BlockList'}, call('b0', 'addAddress', V.s('10.0.0.1')),
      call('b0', 'check', V.s('10.0.0.1')), {'op': 'get', 'target': 'b0', 'prop': 'rules'},
      {'op': 'static', 'cls': 'BlockList', 'method': 'isBlockList', 'args': [V.var('b0')]},
      create('s0', V.s('udp6')), call('s0', 'send', V.s('x'), V.num(0), V.s('::1')),
      call('s0', 'setTTL', V.s('64')), call('s0', 'close'), SETTLE],
     [ret(1, None), ret(2, True), ret(3, {'$': 'arr', 'items': ['Address: IPv4 10.0.0.1']}),
      ret(4, True), ret(5, sock('s0')),
      {'k': 'throw', 'step': 6, 'e': {'$': 'err', 'family': 'RangeError',
                                      'code': 'ERR_SOCKET_BAD_PORT',
                                      'message': 'Port should be > 0 and < 65536.'}},
      {'k': 'throw', 'step': 7, 'e': {'$': 'err', 'family': 'TypeError',
                                      'code': 'ERR_INVALID_ARG_TYPE',
                                      'message': 'The "ttl" argument must be of type number.'}},
      ret(8, sock('s0')), emit(9, 's0', 'close')]),
    # An 'error' event nobody handles is uncaught; the run goes on.
    ([create('s0', V.s('udp4')), create('s1', V.s('udp4')),
      call('s0', 'bind', V.num(12345), V.s('127.0.0.1')), SETTLE,
      call('s1', 'bind', V.num(12345), V.s('127.0.0.1')), SETTLE,
      call('s0', 'close'), call('s1', 'close'), SETTLE],
     [ret(0, sock('s0')), ret(1, sock('s1')), ret(2, sock('s0')), emit(3, 's0', 'listening'),
      ret(4, sock('s1')), emit(5, 's1', 'error', BIND_ERROR),
      {'k': 'uncaught', 'e': BIND_ERROR, 'step': 5}, ret(6, sock('s0')), ret(7, sock('s1')),
      emit(8, 's0', 'close'), emit(8, 's1', 'close')]),
    # A lookup option answering on the next tick; a float port; a close callback.
    ([create('s0', V.obj(('type', V.s('udp4')),
                         ('lookup', V.lookup('lk1', 'tick', '127.0.0.1', 4)))),
      call('s0', 'bind', V.num(0, f=True), V.s('anything')), SETTLE,
      call('s0', 'close', V.fn('f2')), SETTLE],
     [ret(0, sock('s0')), called(1, 'lk1', 'anything', n('4')), ret(1, sock('s0')),
      emit(2, 's0', 'listening'), ret(3, sock('s0')), emit(4, 's0', 'close'), called(4, 'f2')]),
]


def known_cases() -> list[dict[str, Any]]:
    return [{'id': i, 'seed': 0, 'steps': steps} for i, (steps, _) in enumerate(KNOWN)]


@pytest.mark.parametrize('side', ['node', 'python'])
def test_runners_record_what_node_does_on_known_cases(side: str) -> None:
    results = Runner(side, 5000, isolated()).run(known_cases())
    for i, (_, expected) in enumerate(KNOWN):
        assert clean(results[i]) == expected, f'{side}, known case {i}'


def _exact(x: int | float) -> str:
    # A spelling JS's Number() reads as exactly the double nearest x.
    if isinstance(x, int):
        return str(x)
    if x != x or x in (float('inf'), float('-inf')):
        return {True: 'NaN', False: 'Infinity' if x > 0 else '-Infinity'}[x != x]
    return '-0' if x == 0 and str(x).startswith('-') else repr(x)


def test_js_numbers_are_spelled_as_node_spells_them(node: Callable[..., Any]) -> None:
    numbers: list[int | float] = [
        0, -0.0, 1, -1, 1.5, 2 ** 31, 2 ** 53 + 2, 2 ** 53 + 1, 2 ** 64, 10 ** 21, 1e21, 1e300,
        123e-7, 0.000001, 1e-7, -2.5e-10, 65535.0, 0.1 + 0.2, float('inf'), float('-inf'),
        float('nan'), 10 ** 400]
    node_texts = node("console.log(JSON.stringify(JSON.parse(process.argv[1]).map((x) => {"
                      " const v = Number(x); return Object.is(v, -0) ? '-0' : String(v); })))",
                      argv=(json.dumps([_exact(x) for x in numbers]),))
    assert [V.js_number(x) for x in numbers] == node_texts
    assert [V.py_number(V.num(t)) for t in ('12', '1.5', 'NaN', '-0')][:2] == [12, 1.5]
    assert str(V.py_number(V.num('-0'))) == '-0.0'
    assert V.py_number(V.num(12, f=True)) == 12.0 and isinstance(V.py_number(V.num(12, f=True)),
                                                                   float)


def test_generation_is_reproducible_and_prefix_stable() -> None:
    assert generate(7, 50) == generate(7, 50)
    assert generate(7, 50)[:20] == generate(7, 20)
    assert generate(7, 5, start=30) == generate(7, 50)[30:35]
    assert generate_case(7, 3) != generate_case(8, 3)


def test_generated_sends_and_connects_name_loopback_only() -> None:
    cases = [c for seed in (1, 2, 3) for c in generate(seed, 1500)]
    steps = [st for c in cases for st in c['steps']]
    assert all(step_is_safe(st) for st in steps)
    destinations = {st['args'][i]['v'] for st in steps if st.get('method') in ('send', 'connect')
                    for i in ((2, 4) if st['method'] == 'send' else (1,))
                    if i < len(st['args']) and st['args'][i]['t'] == 's'}
    assert destinations and destinations <= set(SAFE_DESTINATIONS)


@pytest.mark.parametrize('side', ['node', 'python'])
def test_a_runner_refuses_a_send_beyond_loopback(side: str) -> None:
    case = {'id': 0, 'seed': 0, 'steps': [
        create('s0', V.s('udp4')), call('s0', 'send', V.s('x'), V.num(9), V.s('192.0.2.1'))]}
    with pytest.raises(SafetyStop):
        Runner(side, 1000, isolated()).run([case])


def test_compare_names_the_first_difference() -> None:
    case = known_cases()[3]
    expected = KNOWN[3][1]
    assert compare(case, expected, [dict(r) for r in expected]) is None
    python = json.loads(json.dumps(expected))
    python[5]['args'][0]['message'] = 'bind EADDRINUSE 127.0.0.1:12345.0'
    python[5]['args'][0]['pyclass'] = 'dgram_uv.errors.ExceptionWithHostPort'
    m = compare(case, expected, python)
    assert m is not None and m.index == 5
    assert m.key == 'events: emits error EADDRINUSE (message differ)'
    m = compare(case, expected, expected[:5] + [ret(5, None)])
    assert m is not None and m.key == 'events: node emits error EADDRINUSE | dgram_uv returns'
    arity = {'k': 'throw', 'step': 2, 'e': {
        '$': 'err', 'family': 'TypeError', 'code': None, 'pyclass': 'builtins.TypeError',
        'message': 'Socket.bind() takes 1 positional argument but 2 were given'}}
    m = compare(case, expected, expected[:2] + [arity])
    assert m is not None and m.key == \
        "bind: dgram_uv raises Python's TypeError for an extra argument"


def test_the_programs_of_a_case_run_on_both_sides(tmp_path: Path) -> None:
    case = known_cases()[1]
    (tmp_path / 'case.js').write_text(js_program(case))
    (tmp_path / 'case.py').write_text(py_program(case))
    outputs = []
    for argv in ([str(NODE), 'case.js'], [str(PYTHON), 'case.py']):
        proc = subprocess.run(isolated() + argv, cwd=tmp_path, capture_output=True, text=True,
                              timeout=60, check=False, env=dict(os.environ, PYTHONPATH=str(ROOT)))
        assert proc.returncode == 0, proc.stderr
        outputs.append(proc.stdout)
    for out in outputs:
        assert 's0 emits message' in out and 'f1' in out and 's1 emits close' in out


def test_a_fixed_seed_run_finds_no_mismatch() -> None:
    proc = subprocess.run(
        [str(PYTHON), '-c', 'import sys; from dgramfuzz.cli import main; sys.exit(main())',
         '--cases', '300', '--seed', '13', '--no-shrink'],
        cwd=ROOT, capture_output=True, text=True, timeout=600, check=False,
        env=dict(os.environ, PYTHONPATH=str(FUZZ_D)))
    summary = proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else proc.stderr
    classes = proc.stdout.split('\n###')[0]     # one line per class; the details follow
    assert proc.returncode == 0 and summary.startswith('300 cases, 0 mismatches'), \
        f'{summary}\n{classes}\n(scripts/fuzz --cases 300 --seed 13 shows each case)\n' \
        f'{proc.stderr[-3000:]}'


@pytest.fixture(scope='module')
def corpus_results() -> tuple[dict[int, Any], dict[int, Any]]:
    cases = corpus_cases()
    return (Runner('node', 1500, isolated()).run(cases),
            Runner('python', 1500, isolated()).run(cases))


@pytest.mark.parametrize('index', range(len(ENTRIES)), ids=[name for name, _, _ in ENTRIES])
def test_corpus_case_behaves_as_on_node(index: int,
                                        corpus_results: tuple[dict[int, Any], dict[int, Any]]
                                        ) -> None:
    case = corpus_cases()[index]
    node, python = corpus_results
    m = compare(case, node[index], python[index])
    assert m is None, f"{ENTRIES[index][1]}\n{m.key}\n{diff_text(m)}"
