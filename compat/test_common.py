"""compat/common.py's own guarantees, beyond Node's test/common.

A failure inside a cluster worker or a forked child fails the test even when
the test never checks that process's exit code (Node's tests often do not, so
in Node a wrong assertion in a worker can pass unnoticed).  The deliberately
failing program is compat/harness_failures.py; before compat/common.py recorded
worker failures, each of its failing modes exited 0.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable

import pytest

from compat import common

PROGRAM = common.ROOT / 'compat' / 'harness_failures.py'

FAILING = {
    'worker-assert': 'AssertionError: deliberately wrong in the worker',
    'worker-must-call': 'Mismatched <anonymous> function calls. Expected exactly 1, actual 0.',
    'worker-import': 'AssertionError: deliberately wrong while importing',
    'child-assert': 'AssertionError: deliberately wrong in the child',
}


@pytest.mark.parametrize('mode', sorted(FAILING))
def test_a_failure_in_a_worker_or_child_fails_the_test(mode: str) -> None:
    run_test = common.node_test(PROGRAM, args=[mode])
    with pytest.raises(AssertionError) as caught:
        run_test()
    report = str(caught.value)
    assert 'exited with 1' in report
    # The test's process names the process that failed and shows its report.
    _, _, child_part = report.partition(f'--- {common.CHILD_FAILED}: pid ')
    assert child_part, report
    assert FAILING[mode] in child_part, report
    assert ('cluster worker 1: python -m compat.harness_failures' in child_part) \
        == mode.startswith('worker'), report


def test_run_directly_the_test_process_fails_too() -> None:
    # Without pytest: the test's own process collects the reports and exits 1.
    proc = subprocess.run(common.child_argv(PROGRAM, 'worker-assert'), cwd=common.ROOT,
                          capture_output=True, text=True, timeout=common.DEFAULT_TIMEOUT,
                          check=False)
    assert proc.returncode == 1, proc
    assert f'--- {common.CHILD_FAILED}: pid ' in proc.stderr
    # The worker's own traceback, then the report of it.
    assert proc.stderr.count('AssertionError: deliberately wrong in the worker') == 2


@pytest.mark.parametrize('mode', ['ok', 'worker-exit-3'])
def test_workers_that_do_not_fail_pass(mode: str) -> None:
    # A worker's deliberate process.exit(3) is the test's business, as in Node.
    common.node_test(PROGRAM, args=[mode])()


def test_countdown() -> None:
    calls: list[int] = []
    countdown = common.Countdown(2, lambda: calls.append(1))
    assert countdown.dec() == 1 and calls == [] and countdown.remaining == 1
    assert countdown.dec() == 0 and calls == [1]
    with pytest.raises(AssertionError, match='Countdown expired'):
        countdown.dec()


# --- common.inspect_error against Node's util.inspect -------------------------------

NODE = common.ROOT / '.cache' / 'node' / 'bin' / 'node'

BUFFER_SIZE_FAILURES_JS = r'''
const dgram = require('dgram'), { inspect } = require('util');
const out = [];
const shown = (f) => {
  try { f(); out.push(null); } catch (e) { out.push(inspect(e).replace(/^ +at .*\n/gm, '')); }
};
const unbound = dgram.createSocket('udp4');
shown(() => unbound.setSendBufferSize(8192));
shown(() => unbound.getSendBufferSize());
shown(() => unbound.setRecvBufferSize(8192));
shown(() => unbound.getRecvBufferSize());
unbound.close();
const bound = dgram.createSocket('udp4');
bound.bind(0, '127.0.0.1', () => {
  shown(() => bound.setRecvBufferSize(2147483648));
  shown(() => bound.setSendBufferSize(2147483648));
  const changed = dgram.createSocket('udp4');
  try { changed.getRecvBufferSize(); } catch (e) {
    e.errno = -22; e.syscall = 'changed';
    out.push(inspect(e).replace(/^ +at .*\n/gm, ''));
  }
  changed.close();
  bound.close();
  console.log(JSON.stringify(out));
});
'''


def _buffer_size_failures() -> list[str | None]:
    import dgram_uv as dgram

    out: list[str | None] = []

    def shown(fn: Callable[[], object]) -> None:
        try:
            fn()
            out.append(None)
        except Exception as err:
            out.append(common.inspect_error(err))

    unbound = dgram.create_socket('udp4')
    shown(lambda: unbound.set_send_buffer_size(8192))
    shown(lambda: unbound.get_send_buffer_size())
    shown(lambda: unbound.set_recv_buffer_size(8192))
    shown(lambda: unbound.get_recv_buffer_size())
    unbound.close()
    bound = dgram.create_socket('udp4')

    def on_bound() -> None:
        shown(lambda: bound.set_recv_buffer_size(2147483648))
        shown(lambda: bound.set_send_buffer_size(2147483648))
        changed = dgram.create_socket('udp4')
        try:
            changed.get_recv_buffer_size()
        except Exception as err:
            err.errno = -22            # type: ignore[attr-defined]
            err.syscall = 'changed'    # type: ignore[attr-defined]
            out.append(common.inspect_error(err))
        changed.close()
        bound.close()

    bound.bind(0, '127.0.0.1', on_bound)
    dgram.run()
    return out


def test_inspect_error_matches_nodes_util_inspect() -> None:
    # Every ERR_SOCKET_BUFFER_SIZE dgram raises, and one whose errno and syscall
    # were set (Node's accessors write through to `info`).
    proc = subprocess.run([str(NODE), '-e', BUFFER_SIZE_FAILURES_JS], capture_output=True,
                          text=True, timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr
    expected = json.loads(proc.stdout)
    assert len(expected) == 7 and None not in expected
    # In a fresh process: this one's loop belongs to nobody else.
    actual = subprocess.run(
        [sys.executable, '-c', 'import json\nfrom compat import test_common\n'
         'print(json.dumps(test_common._buffer_size_failures()))'],
        cwd=common.ROOT, capture_output=True, text=True, timeout=60, check=False)
    assert actual.returncode == 0, actual.stderr
    assert json.loads(actual.stdout) == expected


def test_inspect_error_shows_every_attribute() -> None:
    # Any attribute beyond Node's is shown, as Node shows any own property.
    from dgram_uv import errors

    js = r'''
      const dgram = require('dgram'), { inspect } = require('util');
      const s = dgram.createSocket('udp4'), out = [];
      try { s.send('x', 70000); } catch (e) {
        out.push(inspect(e).replace(/^ +at .*\n/gm, ''));
        e.extra = {a: null, b: true, c: 'x'};
        out.push(inspect(e).replace(/^ +at .*\n/gm, ''));
        e.extra.long = 'a long string that does not fit on one line with the rest';
        out.push(inspect(e).replace(/^ +at .*\n/gm, ''));
      }
      s.close();
      console.log(JSON.stringify(out));
    '''
    proc = subprocess.run([str(NODE), '-e', js], capture_output=True, text=True, timeout=60,
                          check=False)
    assert proc.returncode == 0, proc.stderr
    expected = [text.replace('type number (70000)', 'type int (70000)')
                for text in json.loads(proc.stdout)]
    err = errors.ERR_SOCKET_BAD_PORT('Port', 70000, False)   # what send() raises
    shown = [common.inspect_error(err)]
    err.extra = {'a': None, 'b': True, 'c': 'x'}    # type: ignore[attr-defined]
    shown.append(common.inspect_error(err))
    err.extra['long'] = (                            # type: ignore[attr-defined]
        'a long string that does not fit on one line with the rest')
    shown.append(common.inspect_error(err))
    assert shown == expected
