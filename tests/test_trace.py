"""dgram_uv.trace: the trace of libuv calls, callbacks and loop phases.

The in-process tests trace real sockets on 127.0.0.1 into a StringIO and read
the lines back.  Tracing must change nothing: the parity scenarios run with
the trace on must still print exactly what Node prints, and the loop's
ordering tests must still pass with it on.  Off, nothing of it is installed:
the UDPWrap and the loop are the untraced originals.
"""

from __future__ import annotations

import difflib
import io
import os
import re
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import pyuv

import dgram_uv as dgram
from dgram_uv import trace
from dgram_uv._binding import loop as uv_loop
from dgram_uv._binding import timers as uv_timers
from dgram_uv._binding import trace as binding_trace
from dgram_uv._binding import trace_log, udp_wrap, uv_compat

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / '.venv' / 'bin' / 'python'
PYTHON = PYTHON if PYTHON.exists() else Path(sys.executable)
NODE = ROOT / '.cache' / 'node' / 'bin' / 'node'
SCENARIOS = ROOT / 'tests' / 'parity' / 'scenarios'

# The documented line format (docs/libuv.md, "Reading a trace").
LINE = re.compile(r'uv (?P<iteration>\d+) (?P<kind>call|cb|phase|loop|tick|immediate|timeout)'
                  r' (?P<text>\S.*)')


# --- helpers ---------------------------------------------------------------------

@pytest.fixture
def traced() -> Iterator[Callable[..., io.StringIO]]:
    """``traced(ticks=False)`` starts a trace into a StringIO; the test's end
    stops it (and restores a trace DGRAM_UV_TRACE started for the whole run)."""
    before = (trace_log.state.on, trace_log.state.out, trace_log.state.ticks)

    def start(ticks: bool = False) -> io.StringIO:
        out = io.StringIO()
        trace.enable(out, ticks=ticks)
        return out
    yield start
    trace.disable()
    if before[0]:
        binding_trace.install(before[1], before[2])


@pytest.fixture
def untraced() -> Iterator[None]:
    """Tracing off for the test, whatever DGRAM_UV_TRACE says."""
    before = (trace_log.state.on, trace_log.state.out, trace_log.state.ticks)
    trace.disable()
    yield
    if before[0]:
        binding_trace.install(before[1], before[2])


def lines_of(out: io.StringIO) -> list[str]:
    lines = out.getvalue().splitlines()
    bad = [line for line in lines if not LINE.fullmatch(line)]
    assert not bad, f'lines outside the format: {bad}'
    iterations = [int(line.split()[1]) for line in lines]
    assert iterations == sorted(iterations), 'iteration numbers go backwards'
    return lines


def in_order(lines: list[str], patterns: list[str]) -> list[re.Match[str]]:
    """Each pattern (a regex over the line after ``uv N ``) matches a line after
    the previous one's; returns the matches."""
    found = []
    position = 0
    for pattern in patterns:
        regex = re.compile(pattern)
        for index in range(position, len(lines)):
            match = regex.fullmatch(lines[index].split(' ', 2)[2])
            if match:
                found.append(match)
                position = index + 1
                break
        else:
            pytest.fail(f'no line {pattern!r} after line {position}:\n' + '\n'.join(lines))
    return found


def iteration_of(lines: list[str], pattern: str) -> int:
    regex = re.compile(pattern)
    for line in lines:
        if regex.fullmatch(line.split(' ', 2)[2]):
            return int(line.split()[1])
    pytest.fail(f'no line {pattern!r}:\n' + '\n'.join(lines))


# --- what the trace shows --------------------------------------------------------

def test_bind_send_receive_close(traced: Callable[..., io.StringIO]) -> None:
    out = traced()
    events: list[str] = []
    server = dgram.create_socket('udp4')
    client = dgram.create_socket('udp4')

    def on_message(msg: bytes, rinfo: Any) -> None:
        events.append(f'message {msg!r}')
        server.close()
        client.close()

    def on_listening() -> None:
        client.send(b'hello', server.address().port, '127.0.0.1')
    server.on('message', on_message)
    server.bind(0, '127.0.0.1', on_listening)
    dgram.run()
    assert events == ["message b'hello'"]
    lines = lines_of(out)
    found = in_order(lines, [
        r'call uv_udp_init\(loop, (udp#\d+)\) = 0',
        r'call uv_udp_init\(loop, (udp#\d+)\) = 0',
        r'call uv_udp_bind\((udp#1), fd=\d+, addr=127\.0\.0\.1:0, flags=0\) = 0',
        r'call uv_udp_recv_start\(udp#1, fd=\d+\) = 0',
        r'call uv_udp_getsockname\(udp#1, fd=\d+\) = 0 name=127\.0\.0\.1:(\d+)',
        # The client binds first (Node binds an unbound socket before sending).
        r'call uv_udp_bind\(udp#2, fd=\d+, addr=0\.0\.0\.0:0, flags=0\) = 0',
        r'call uv_udp_recv_start\(udp#2, fd=\d+\) = 0',
        r'call uv_udp_try_send\(udp#2, fd=\d+, nbytes=5, addr=127\.0\.0\.1:(\d+)\) = 5',
        r'loop start',
        # -1 (no timer: until a datagram comes), unless an earlier test left
        # an unreferenced timer armed.
        r'phase poll timeout=-?\d+',
        r'cb recv_cb\(udp#1, nread=5, addr=127\.0\.0\.1:\d+, flags=0\)',
        r'call uv_udp_recv_stop\(udp#1, fd=\d+\) = 0',
        r'call uv_close\(udp#1, fd=\d+\)',
        r'call uv_close\(udp#2, fd=\d+\)',
        r'phase check',
        r'phase closing',
        r'cb close_cb\(udp#(1|2)\)',
        r'cb close_cb\(udp#(1|2)\)',
        r'phase timers',
        r'loop end alive=0',
    ])
    assert [found[0][1], found[1][1]] == ['udp#1', 'udp#2']
    assert found[4][1] == found[7][1], 'sent to the port getsockname reported'
    # The datagram, its close calls and their close callbacks: one iteration.
    assert (iteration_of(lines, r'cb recv_cb.*') == iteration_of(lines, r'call uv_close\(udp#1.*')
            == iteration_of(lines, r'cb close_cb\(udp#1\)'))
    # Before the loop runs, everything happens in iteration 0.
    assert iteration_of(lines, r'call uv_udp_try_send.*') == 0


def test_failing_bind_shows_the_status_name(traced: Callable[..., io.StringIO]) -> None:
    out = traced()
    errors: list[str] = []
    first = dgram.create_socket('udp4')
    second = dgram.create_socket('udp4')

    def on_error(err: Any) -> None:
        errors.append(err.code)
        first.close()
        second.close()

    def on_listening() -> None:
        second.on('error', on_error)
        second.bind(first.address().port, '127.0.0.1')
    first.bind(0, '127.0.0.1', on_listening)
    dgram.run()
    assert errors == ['EADDRINUSE']
    lines = lines_of(out)
    in_order(lines, [
        r'call uv_udp_bind\(udp#1, fd=\d+, addr=127\.0\.0\.1:0, flags=0\) = 0',
        r'call uv_udp_getsockname\(udp#1, fd=\d+\) = 0 name=127\.0\.0\.1:(\d+)',
        r'call uv_udp_bind\(udp#2, fd=\d+, addr=127\.0\.0\.1:\d+, flags=0\) = UV_EADDRINUSE',
        r'call uv_close\(udp#2, fd=\d+\)',
    ])


def test_queued_send_completes_in_the_pending_phase(
        traced: Callable[..., io.StringIO], monkeypatch: pytest.MonkeyPatch) -> None:
    # Node's --test-udp-no-try-send: every datagram is a uv_udp_send request.
    monkeypatch.setattr(udp_wrap, '_NO_TRY_SEND', True)
    out = traced()
    results: list[Any] = []
    sock = dgram.create_socket('udp4')

    def sent(err: Any, size: int) -> None:
        results.append((err, size))
        sock.close()
    sock.bind(0, '127.0.0.1', lambda: sock.send(b'abc', sock.address().port, '127.0.0.1',
                                                sent))
    dgram.run()
    assert results == [(None, 3)]
    lines = lines_of(out)
    found = in_order(lines, [
        r'call uv_udp_send\((udp_send#\d+), udp#1, fd=\d+, nbytes=3, '
        r'addr=127\.0\.0\.1:\d+\) = 0',
        r'loop start',
        # libuv sends at once and defers the callback to the next iteration's
        # pending phase, before the poll.
        r'phase pending',
        r'cb send_cb\((udp_send#\d+), status=0\)',
        r'phase poll timeout=0',
    ])
    assert found[0][1] == found[3][1]


def test_a_sends_two_ticks_show(traced: Callable[..., io.StringIO]) -> None:
    # The send path queues its ticks with loop.tick (no thread check, no frame):
    # the trace shows them as it shows next_tick's, lookup first, then callback.
    receiver = dgram.create_socket('udp4')
    sender = dgram.create_socket('udp4')
    got: list[object] = []

    def on_sent(err: object, sent: object = None) -> None:
        got.append((err, sent))
        sender.close()
        receiver.close()

    def start() -> None:
        port = receiver.address().port
        sender.send(b'one', port, '127.0.0.1')      # the general path: learns the literal
        sender.send(b'two', port, '127.0.0.1', on_sent)
    receiver.bind(0, '127.0.0.1', lambda: sender.bind(0, start))
    out = traced(ticks=True)
    dgram.run()
    assert got == [(None, 3)]
    in_order(lines_of(out), [
        r"tick queue do_send\(None, <Socket>, '127\.0\.0\.1', <list>, .*, <function>\)",
        r"tick run do_send\(None, <Socket>, '127\.0\.0\.1', <list>, .*, <function>\)",
        r'tick queue .*on_sent\(None, 3\)',
        r'tick run .*on_sent\(None, 3\)',
    ])


def test_timers_immediates_and_ticks(traced: Callable[..., io.StringIO]) -> None:
    out = traced(ticks=True)
    order: list[str] = []

    def on_timeout(label: str) -> None:
        order.append(label)

    def on_immediate() -> None:
        order.append('immediate')
        dgram.next_tick(order.append, 'tick')
    dgram.set_timeout(on_timeout, 2, 'timeout')
    dgram.set_immediate(on_immediate)
    dgram.run()
    assert order == ['immediate', 'tick', 'timeout']
    lines = lines_of(out)
    in_order(lines, [
        r'timeout queue .*on_timeout\(\'timeout\'\)',
        r'call uv_timer_start\(timer#1, timeout=2, repeat=0\) = 0',
        r'immediate queue .*on_immediate\(\)',
        r'call uv_idle_start\(idle#1\) = 0',
        r'call uv_check_start\(check#1\) = 0',
        r'loop start',
        r'phase idle',
        r'cb idle_cb\(idle#1\)',
        r'phase poll timeout=0',       # an active idle handle: the poll does not block
        r'phase check',
        r'cb check_cb\(check#1\)',
        r'immediate run .*on_immediate\(\)',
        r'tick queue list\.append\(\'tick\'\)',
        r'tick run list\.append\(\'tick\'\)',
        r'phase timers',
        r'cb timer_cb\(timer#1\)',
        r'timeout run .*on_timeout\(\'timeout\'\)',
        r'loop end alive=0',
    ])
    # Every iteration shows its poll, check, closing and timers phases, in order.
    for iteration in sorted({int(line.split()[1]) for line in lines} - {0}):
        phases = [line.split()[3] for line in lines
                  if line.startswith(f'uv {iteration} phase ')]
        assert [p for p in phases if p in ('poll', 'check', 'closing')] == \
            ['poll', 'check', 'closing'], (iteration, phases)
        assert phases[-1] == 'timers', (iteration, phases)


def test_connect_and_ref_calls(traced: Callable[..., io.StringIO]) -> None:
    out = traced()
    sock = dgram.create_socket('udp4')

    def on_connect() -> None:
        sock.unref()
        sock.ref()
        sock.disconnect()
        sock.close()
    sock.bind(0, '127.0.0.1', lambda: sock.connect(sock.address().port, '127.0.0.1',
                                                   on_connect))
    dgram.run()
    in_order(lines_of(out), [
        r'call uv_udp_connect\(udp#1, fd=\d+, addr=127\.0\.0\.1:\d+\) = 0',
        r'call uv_unref\(udp#1\)',
        r'call uv_ref\(udp#1\)',
        r'call uv_udp_connect\(udp#1, fd=\d+, addr=NULL\) = 0',
        r'call uv_close\(udp#1, fd=\d+\)',
    ])


def test_ipv6_and_a_receive_error(traced: Callable[..., io.StringIO]) -> None:
    # A port nobody listens on: the kernel answers the datagram with ICMP
    # port unreachable, which a connected socket reads as ECONNREFUSED.
    with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as probe:
        probe.bind(('::1', 0))
        port = probe.getsockname()[1]
    out = traced()
    errors: list[str] = []
    sock = dgram.create_socket('udp6')

    def on_error(err: Any) -> None:
        errors.append(err.code)
        sock.close()
    sock.on('error', on_error)
    sock.bind(0, '::1', lambda: sock.connect(port, '::1', lambda: sock.send(b'x')))
    dgram.run()
    assert errors == ['ECONNREFUSED']
    in_order(lines_of(out), [
        r'call uv_udp_bind\(udp#1, fd=\d+, addr=\[::1\]:0, flags=0\) = 0',
        rf'call uv_udp_connect\(udp#1, fd=\d+, addr=\[::1\]:{port}\) = 0',
        # On a connected handle Node passes no address: libuv sends to the peer.
        r'call uv_udp_try_send\(udp#1, fd=\d+, nbufs=1, nbytes=1, addr=NULL\) = 1',
        r'cb recv_cb\(udp#1, nread=UV_ECONNREFUSED, addr=NULL, flags=0\)',
        r'call uv_close\(udp#1, fd=\d+\)',
    ])


def test_unknown_environment_value_leaves_tracing_off() -> None:
    env = dict(os.environ, DGRAM_UV_TRACE='yes please')
    proc = subprocess.run([str(PYTHON), '-c', 'import dgram_uv; dgram_uv.create_socket("udp4")'],
                          env=env, capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 0
    assert proc.stderr == ("dgram_uv: DGRAM_UV_TRACE='yes please' is not understood "
                           '(use 1, uv or uv,ticks); tracing stays off\n')


def test_trace_handles_keep_nothing_alive(traced: Callable[..., io.StringIO]) -> None:
    out = traced()
    dgram.run()     # nothing referenced: the loop ends at once
    assert lines_of(out)[-1].endswith('loop end alive=0')


# --- nothing when off ------------------------------------------------------------

def _replaced() -> dict[str, Any]:
    """Everything the trace replaces while it is on."""
    return {
        'UDP.__init__': udp_wrap.UDP.__init__,
        'connect': uv_compat.connect, 'disconnect': uv_compat.disconnect,
        'getpeername': uv_compat.getpeername,
        'set_source_membership': uv_compat.set_source_membership,
        'bind_reuseport': uv_compat.bind_reuseport,
        'getaddrinfo': pyuv.dns.getaddrinfo,
        '_timer_handle': uv_timers._timer_handle, '_prepare_handle': uv_timers._prepare_handle,
        '_check_handle': uv_timers._check_handle, '_idle_handle': uv_timers._idle_handle,
        '_sigint_handle': uv_loop._sigint_handle, '_sigint_watched': uv_loop._sigint_watched,
        '_after_iteration': uv_loop._after_iteration, 'tick': uv_loop.tick,
        'Immediate.__init__': uv_timers.Immediate.__init__,
        'Timeout.__init__': uv_timers.Timeout.__init__,
    }


def test_disable_restores_the_untraced_functions(untraced: None) -> None:
    before = _replaced()
    hot = (udp_wrap.UDP.send, udp_wrap.UDP._on_recv, udp_wrap.UDP._queue_send,
           udp_wrap.UDP.recv_start, uv_loop.make_callback)
    trace.enable(io.StringIO(), ticks=True)
    try:
        during = _replaced()
        assert all(during[name] is not before[name] for name in before), \
            [name for name in before if during[name] is before[name]]
    finally:
        trace.disable()
    after = _replaced()
    assert all(after[name] is before[name] for name in before), \
        [name for name in before if after[name] is not before[name]]
    # The per-datagram paths are never replaced at all.
    assert (udp_wrap.UDP.send, udp_wrap.UDP._on_recv, udp_wrap.UDP._queue_send,
            udp_wrap.UDP.recv_start, uv_loop.make_callback) == hot


def test_off_means_the_original_code(untraced: None) -> None:
    # With tracing off, the functions are those the binding modules define and
    # a new UDPWrap has a plain pyuv.UDP: no flag is tested per datagram.
    for name, value in _replaced().items():
        if isinstance(value, pyuv.Handle):
            assert type(value).__module__.startswith('pyuv'), name
        elif name == 'tick':     # the tick queue's own append, no Python frame
            assert value == uv_loop._tick_queue.append
        elif name != 'getaddrinfo':
            assert value.__module__.startswith('dgram_uv._binding.'), name
            assert not value.__module__.startswith('dgram_uv._binding.trace'), name
    assert pyuv.dns.getaddrinfo.__module__ != binding_trace.__name__
    handle = udp_wrap.UDP()
    try:
        assert type(handle._handle) is pyuv.UDP
    finally:
        handle.close()
    for method in ('send', '_on_recv', '_queue_send', 'recv_start', 'close', 'bind'):
        assert getattr(udp_wrap.UDP, method).__qualname__ == f'UDP.{method}'


def test_off_the_machinery_is_not_even_loaded() -> None:
    env = {k: v for k, v in os.environ.items() if k != 'DGRAM_UV_TRACE'}
    code = ('import sys, dgram_uv; s = dgram_uv.create_socket("udp4"); '
            'print(sorted(m for m in sys.modules if m.startswith("dgram_uv._binding.trace")))')
    proc = subprocess.run([str(PYTHON), '-c', code], env=env, capture_output=True, text=True,
                          timeout=60, check=False)
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, '[]\n', '')


def test_environment_values() -> None:
    assert trace._parse('') == (False, False)
    assert trace._parse('0') == (False, False)
    assert trace._parse('1') == (True, False)
    assert trace._parse('uv') == (True, False)
    assert trace._parse('uv,ticks') == (True, True)
    assert trace._parse('ticks') == (True, True)
    assert trace._parse('yes') is None
    assert trace._parse('uv,bogus') is None


# --- tracing changes nothing -------------------------------------------------------

ISOLATE = ['unshare', '--net', '--', 'sh', '-c', 'ip link set lo up && exec "$@"', 'isolated']


def _run(argv: list[str], cwd: Path, trace_value: str | None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE='1', PYTHONUNBUFFERED='1')
    env.pop('NODE_OPTIONS', None)
    env.pop('DGRAM_UV_TRACE', None)
    if trace_value is not None:
        env['DGRAM_UV_TRACE'] = trace_value
    return subprocess.run(ISOLATE + argv, cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=60, check=False)


def test_seed_example_traced() -> None:
    # scripts/demo.py, in a network namespace of its own (it binds port 41234).
    plain = _run([str(PYTHON), 'demo.py'], ROOT / 'scripts', None)
    traced_run = _run([str(PYTHON), 'demo.py'], ROOT / 'scripts', '1')
    assert plain.returncode == traced_run.returncode == 0, traced_run.stderr
    def ephemeral(text: str) -> str:
        return re.sub(r'from 127\.0\.0\.1:\d+', 'from 127.0.0.1:PORT', text)
    assert ephemeral(traced_run.stdout) == ephemeral(plain.stdout)
    assert plain.stderr == ''
    lines = traced_run.stderr.splitlines()
    assert all(LINE.fullmatch(line) for line in lines), traced_run.stderr
    in_order(lines, [
        r'call uv_udp_bind\(udp#1, fd=\d+, addr=0\.0\.0\.0:41234, flags=0\) = 0',
        r'call uv_udp_recv_start\(udp#1, fd=\d+\) = 0',
        r'call uv_getaddrinfo\(loop, getaddrinfo#1, node=localhost, service=NULL, '
        r'family=AF_INET\) = 0',
        r'loop start',
        r'phase poll timeout=-1',
        r'cb getaddrinfo_cb\(getaddrinfo#1, status=0, res=127\.0\.0\.1\)',
        r'call uv_udp_try_send\(udp#2, fd=\d+, nbytes=10, addr=127\.0\.0\.1:41234\) = 10',
        r'phase check',
        r'phase closing',
        r'cb close_cb\(udp#2\)',
        r'phase poll timeout=-1',
        r'cb recv_cb\(udp#1, nread=10, addr=127\.0\.0\.1:\d+, flags=0\)',
        r'call uv_close\(udp#1, fd=\d+\)',
        r'phase closing',
        r'cb close_cb\(udp#1\)',
        r'loop end alive=0',
    ])


def _scenarios() -> list[str]:
    return sorted(p.stem for p in SCENARIOS.glob('*.js') if not p.name.startswith('_'))


@pytest.mark.skipif(not NODE.exists(), reason='the Node oracle is installed by scripts/setup')
@pytest.mark.parametrize('name', _scenarios())
def test_parity_scenario_with_trace_on(name: str) -> None:
    node = _run([str(NODE), f'{name}.js'], SCENARIOS, None)
    python = _run([str(PYTHON), f'{name}.py'], SCENARIOS, 'uv,ticks')
    assert node.returncode == 0, node.stderr
    assert python.returncode == 0, python.stderr[-3000:]
    if node.stdout != python.stdout:
        diff = ''.join(difflib.unified_diff(node.stdout.splitlines(keepends=True),
                                            python.stdout.splitlines(keepends=True),
                                            'node', 'dgram_uv traced'))
        pytest.fail(f'{name}: the trace changed the output:\n{diff}', pytrace=False)
    assert re.search(r'^uv \d+ (call|tick) ', python.stderr, re.M), 'nothing was traced'


@pytest.mark.timeout(900)
def test_loop_ordering_tests_pass_with_trace_on() -> None:
    # tests/test_loop.py compares the loop's orders with Node's; with the trace on
    # (tee-sys shows what the tests write to stderr) they must all still pass.
    env = dict(os.environ, DGRAM_UV_TRACE='uv,ticks', PYTHONDONTWRITEBYTECODE='1')
    proc = subprocess.run([str(PYTHON), '-m', 'pytest', '-q', '-p', 'no:cacheprovider',
                           '--capture=tee-sys', 'tests/test_loop.py'],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=800,
                          check=False)
    assert proc.returncode == 0, proc.stdout[-5000:]
    assert re.search(r'^uv \d+ phase poll timeout=', proc.stderr, re.M), 'nothing was traced'
