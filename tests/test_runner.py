"""``python -m dgram_uv``, the runner, against ``node script.js`` (real processes),
and the at-exit warning of a script that never ran the loop.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest
import pyuv
from conftest import NODE

import dgram_uv

ROOT = Path(__file__).resolve().parent.parent


def python(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, timeout=60,
                          cwd=cwd or ROOT, check=False)


def node(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(NODE), *args], capture_output=True, text=True, timeout=60,
                          check=False)


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text)
    return str(path)


# Twins: what a Node script does with its loop, and the same script for the runner.

JS_LIFECYCLE = '''
const dgram = require('dgram');
process.on('exit', (code) => console.log('exit ' + code));
console.log('argv ' + process.argv.slice(2).join(','));
const s = dgram.createSocket('udp4');
s.bind(0, '127.0.0.1', () => console.log('listening'));
setTimeout(() => { console.log('timer'); s.close(() => console.log('closed')); }, 20);
process.nextTick(() => console.log('tick'));
console.log('script end');
'''

PY_LIFECYCLE = '''
import atexit, sys
import dgram_uv as dgram
atexit.register(lambda: print('exit 0'))
print('argv ' + ','.join(sys.argv[1:]))
s = dgram.create_socket('udp4')
s.bind(0, '127.0.0.1', lambda: print('listening'))
dgram.set_timeout(lambda: (print('timer'), s.close(lambda: print('closed'))), 20)
dgram.next_tick(lambda: print('tick'))
print('script end')
assert __name__ == '__main__' and sys.modules['__main__'].__file__ == sys.argv[0]
'''


@pytest.mark.parametrize('form', [['run'], []], ids=['run', 'short'])
def test_runs_the_script_then_the_loop_like_node(tmp_path: Path, form: list[str]) -> None:
    expected = node(write(tmp_path, 'life.js', JS_LIFECYCLE), 'a', 'b c')
    assert expected.returncode == 0
    got = python('-m', 'dgram_uv', *form, write(tmp_path, 'life.py', PY_LIFECYCLE), 'a', 'b c')
    assert (got.returncode, got.stdout, got.stderr) == (0, expected.stdout, '')
    assert got.stdout.splitlines() == ['argv a,b c', 'script end', 'listening', 'tick',
                                       'timer', 'closed', 'exit 0']


JS_THROW_IN_CALLBACK = '''
process.on('exit', (code) => console.log('exit ' + code));
setTimeout(() => { console.log('timer'); throw new Error('boom'); }, 5);
setTimeout(() => console.log('never'), 50);
'''

PY_THROW_IN_CALLBACK = '''
import atexit
import dgram_uv as dgram
atexit.register(lambda: print('exit 1'))

def boom():
    print('timer')
    raise ValueError('boom')
dgram.set_timeout(boom, 5)
dgram.set_timeout(lambda: print('never'), 50)
'''


def test_an_uncaught_exception_in_a_callback_exits_1(tmp_path: Path) -> None:
    expected = node(write(tmp_path, 'throw.js', JS_THROW_IN_CALLBACK))
    got = python('-m', 'dgram_uv', 'run', write(tmp_path, 'throw.py', PY_THROW_IN_CALLBACK))
    assert (got.returncode, got.stdout) == (expected.returncode, expected.stdout) \
        == (1, 'timer\nexit 1\n')
    lines = got.stderr.splitlines()
    assert lines[0] == 'Traceback (most recent call last):'
    assert lines[-3:] == [f'  File "{tmp_path / "throw.py"}", line 8, in boom',
                          "    raise ValueError('boom')", 'ValueError: boom']
    assert 'dgram_uv/__main__.py' not in got.stderr


def test_an_exception_in_the_script_is_printed_as_python_prints_it(tmp_path: Path) -> None:
    script = write(tmp_path, 'top.py', 'import dgram_uv\nprint("x")\nraise KeyError("top")\n')
    plain = python(script)
    got = python('-m', 'dgram_uv', 'run', script)
    assert (got.returncode, got.stdout, got.stderr) == (1, 'x\n', plain.stderr)
    assert plain.returncode == 1


@pytest.mark.parametrize(('code', 'status', 'stderr'), [
    ('sys.exit(3)', 3, ''), ('sys.exit(None)', 0, ''), ("sys.exit('bye')", 1, 'bye\n')])
def test_system_exit_in_a_callback_sets_the_status(tmp_path: Path, code: str, status: int,
                                                   stderr: str) -> None:
    script = write(tmp_path, 'exit.py', f'''
import sys
import dgram_uv as dgram
dgram.set_timeout(lambda: {code}, 5)
dgram.set_timeout(lambda: print('never'), 50)
''')
    got = python('-m', 'dgram_uv', script)
    assert (got.returncode, got.stdout, got.stderr) == (status, '', stderr)


def test_node_exits_with_process_exit_code_too(tmp_path: Path) -> None:
    got = node(write(tmp_path, 'exit.js', 'setTimeout(() => process.exit(3), 5);'))
    assert got.returncode == 3


def test_the_script_may_run_asyncio_itself(tmp_path: Path) -> None:
    script = write(tmp_path, 'aio.py', '''
import dgram_uv as dgram, dgram_uv.aio as aio

async def main():
    s = dgram.create_socket('udp4')
    s.bind(0, '127.0.0.1')
    await aio.once(s, 'listening')
    dgram.set_timeout(lambda: print('after main'), 10)
    async with s:
        pass
    return 'main'
print(aio.run(main()))
''')
    got = python('-m', 'dgram_uv', 'run', script)
    assert (got.returncode, got.stdout, got.stderr) == (0, 'after main\nmain\n', '')


def test_version() -> None:
    got = python('-m', 'dgram_uv', '--version')
    assert (got.returncode, got.stdout) == (
        0, f'dgram_uv {dgram_uv.__version__} (pyuv {pyuv.__version__}, '
           f'libuv {pyuv.LIBUV_VERSION})\n')


def test_usage_errors(tmp_path: Path) -> None:
    for args in ([], ['run'], ['--frobnicate']):
        got = python('-m', 'dgram_uv', *args)
        assert got.returncode == 2 and 'usage: python -m dgram_uv' in got.stderr, args
    got = python('-m', 'dgram_uv', '--help')
    assert got.returncode == 0 and 'usage: python -m dgram_uv' in got.stdout
    missing = tmp_path / 'missing.py'
    got = python('-m', 'dgram_uv', 'run', str(missing))
    assert got.returncode == 2
    assert got.stderr == (f"python -m dgram_uv: can't open file '{missing}': "
                          '[Errno 2] No such file or directory\n')


def test_trace_runs_the_script_with_the_trace_on(tmp_path: Path) -> None:
    script = write(tmp_path, 'traced.py', '''
import dgram_uv as dgram
s = dgram.create_socket('udp4')
s.bind(0, '127.0.0.1', s.close)
print('done')
''')
    got = python('-m', 'dgram_uv', 'trace', script)
    if importlib.util.find_spec('dgram_uv.trace') is None:
        # The trace module is another issue's: until it lands, a clear refusal.
        assert (got.returncode, got.stdout) == (2, '')
        assert 'has no dgram_uv.trace module' in got.stderr
    else:
        assert (got.returncode, got.stdout) == (0, 'done\n')
        assert 'uv_udp_bind' in got.stderr


# --- the at-exit warning ------------------------------------------------------------------

def test_a_script_that_never_runs_the_loop_is_warned_about(tmp_path: Path) -> None:
    script = write(tmp_path, 'forgot.py', '''
import dgram_uv as dgram
s = dgram.create_socket('udp4')
s.on('message', print)
s.bind(41234)
dgram.set_timeout(print, 1000)
''')
    got = python(script)
    assert (got.returncode, got.stdout) == (0, '')
    assert got.stderr == (
        'dgram_uv: the loop never ran (1 socket, 1 timer, 1 queued callback left): call '
        'dgram.run() at the end of the program, or start it with '
        '`python -m dgram_uv run script.py`\n')


@pytest.mark.parametrize('body', [
    '',                                                             # nothing to run
    's = dgram.create_socket("udp4")',                   # a socket alone keeps Node idle too
    's = dgram.create_socket("udp4")\ns.bind(0)\ndgram.set_timeout(s.close, 1)\ndgram.run()',
    's = dgram.create_socket("udp4")\ns.bind(0)\nraise SystemError("crash")',
])
def test_no_warning_when_there_is_nothing_to_say(tmp_path: Path, body: str) -> None:
    got = python(write(tmp_path, 'fine.py', 'import dgram_uv as dgram\n' + body + '\n'))
    assert 'dgram_uv: the loop never ran' not in got.stderr
    assert got.returncode == (1 if 'crash' in body else 0)


def test_no_warning_under_the_runner_after_a_crash(tmp_path: Path) -> None:
    script = write(tmp_path, 'crash.py', '''
import dgram_uv as dgram
s = dgram.create_socket("udp4")
s.bind(0)
raise SystemError("crash")
''')
    got = python('-m', 'dgram_uv', 'run', script)
    assert got.returncode == 1
    assert got.stderr.endswith('SystemError: crash\n')
