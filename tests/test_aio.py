"""dgram_uv.aio's bridge on the real loops: the uv loop driven by stdlib asyncio
and by uvloop (every test runs on both).

* Node's order: tests/test_loop.py's scenarios (ticks, immediates, timers,
  ref/unref, uncaught exceptions) give the Node oracle's output when
  ``aio.run`` drives the loop instead of ``dgram.run()``, with the scenario set
  up before ``aio.run`` and inside ``main``.
* ``aio.run``: the result, the keep-alive rule, errors (an exception in a
  dgram_uv callback fails it; nothing runs after it; the loop stays intact).
* ``attach``/``detach``/``wait_idle``; delivery goes on after a listener raised.
* Batching: a burst of datagrams takes one pass per 32 (libuv's reads per
  readiness), not one asyncio wake-up per datagram.
"""

from __future__ import annotations

import ast
import asyncio
import functools
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import uvloop
from test_loop import EXPECTED, JS_PRELUDE, SCENARIOS, busy

import dgram_uv as dgram
from dgram_uv import aio, timers
from dgram_uv._binding import loop as uv_loop
from dgram_uv._internal import aio_bridge

Factory = Callable[[], asyncio.AbstractEventLoop] | None
FACTORIES: dict[str, Factory] = {'asyncio': None, 'uvloop': uvloop.new_event_loop}


@pytest.fixture(params=sorted(FACTORIES))
def factory(request: pytest.FixtureRequest) -> Factory:
    """The asyncio loop to run on: stdlib asyncio's or uvloop's."""
    return FACTORIES[request.param]


@pytest.fixture(autouse=True)
def detached() -> Iterator[None]:
    """Every test leaves the uv loop detached."""
    yield
    left = aio_bridge.current()
    if left is not None:
        while aio_bridge.current() is not None:
            aio_bridge.detach()
        pytest.fail('the test left the uv loop attached to an asyncio loop')
    assert not uv_loop._attached and uv_loop._owner == 0


async def nothing() -> None:
    pass


@functools.cache
def oracle(name: str) -> list[str]:
    from conftest import run_node
    out: list[str] = run_node(JS_PRELUDE + SCENARIOS[name][0])
    assert out == EXPECTED[name]
    return out


def run_until_done(main: Callable[[], Any], factory: Factory, log: Callable[[str], None]) -> None:
    """``aio.run`` again after each exception, logging it (what test_loop's
    run_until_done does with ``dgram.run()``)."""
    for _ in range(20):
        try:
            aio.run(main(), loop_factory=factory)
        except Exception as exc:
            log(f'caught {exc}')
            main = nothing
        else:
            return
    raise AssertionError('aio.run kept raising')


# --- Node's order -----------------------------------------------------------------------

@pytest.mark.timeout(60)
@pytest.mark.parametrize('name', sorted(SCENARIOS))
def test_order_matches_node_when_aio_runs_the_loop(name: str, factory: Factory,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    # The scenario as test_loop runs it, with its run() calls made by aio.run.
    monkeypatch.setattr(uv_loop, 'run', lambda: aio.run(nothing(), loop_factory=factory))
    out: list[str] = []
    SCENARIOS[name][1](out.append)
    assert out == oracle(name)


@pytest.mark.timeout(60)
@pytest.mark.parametrize('name', sorted(SCENARIOS))
def test_order_matches_node_when_main_sets_up(name: str, factory: Factory,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    # The scenario's code runs inside main (its own run() calls do nothing).
    monkeypatch.setattr(uv_loop, 'run', lambda: None)
    out: list[str] = []

    async def main() -> None:
        SCENARIOS[name][1](out.append)
    run_until_done(main, factory, out.append)
    assert out == oracle(name)


def test_ticks_from_coroutines_run_before_the_loop_goes_on(factory: Factory) -> None:
    # Work queued from asyncio code (outside any libuv callback) is picked up
    # by the next pass: ticks first, then timers, then immediates, as after
    # Node's main script.
    log: list[str] = []

    async def main() -> None:
        timers.set_immediate(log.append, 'immediate')
        timers.set_timeout(log.append, 1, 'timer')
        timers.next_tick(log.append, 'tick')
        busy(5)
        await asyncio.sleep(0)
        log.append('main resumed')
    aio.run(main(), loop_factory=factory)
    assert log == ['tick', 'timer', 'immediate', 'main resumed']


# --- aio.run --------------------------------------------------------------------------

def test_run_returns_main_result_after_the_loop_is_idle(factory: Factory) -> None:
    log: list[str] = []

    async def main() -> int:
        timers.set_timeout(log.append, 60, 'timer')
        log.append('main done')
        return 7
    start = time.monotonic()
    assert aio.run(main(), loop_factory=factory) == 7
    assert log == ['main done', 'timer']
    assert time.monotonic() - start >= 0.058


def test_run_ends_when_only_unreferenced_work_is_left(factory: Factory) -> None:
    timer = timers.set_timeout(pytest.fail, 5000, 'the unreferenced timer ran').unref()
    sock = dgram.create_socket('udp4')
    sock.bind(0, '127.0.0.1')
    sock.unref()

    async def main() -> str:
        await aio.once(sock, 'listening')
        return 'ok'
    start = time.monotonic()
    assert aio.run(main(), loop_factory=factory) == 'ok'
    assert time.monotonic() - start < 4
    timers.clear_timeout(timer)
    sock.close()
    dgram.run()


def test_unreferenced_socket_receives_while_main_runs(factory: Factory) -> None:
    # The asyncio application is alive while main runs: as in a Node process
    # kept alive by something else, an unref'd socket still receives.
    async def main() -> bytes:
        rx = dgram.create_socket('udp4').unref()
        rx.bind(0, '127.0.0.1')
        await aio.once(rx, 'listening')
        got = aio.once(rx, 'message')
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as tx:
            tx.sendto(b'hello', ('127.0.0.1', rx.address().port))
        msg, rinfo = await got
        assert rinfo.size == 5
        rx.close()
        return bytes(msg)
    assert aio.run(main(), loop_factory=factory) == b'hello'


def test_main_exception_propagates(factory: Factory) -> None:
    async def main() -> None:
        raise KeyError('main')
    with pytest.raises(KeyError, match='main'):
        aio.run(main(), loop_factory=factory)


def test_run_needs_a_coroutine() -> None:
    with pytest.raises(ValueError, match='coroutine was expected'):
        aio.run(nothing)  # type: ignore[arg-type]


@pytest.mark.parametrize('where', ['listener', 'send callback', 'timer', 'immediate'])
def test_exception_in_a_callback_fails_run(where: str, factory: Factory) -> None:
    log: list[str] = []
    cancelled: list[bool] = []
    sockets: list[dgram.Socket] = []

    def boom(*_: Any) -> None:
        log.append(where)
        # Queued behind the failing callback: nothing runs after it in this run.
        timers.next_tick(log.append, 'tick after')
        timers.set_immediate(log.append, 'immediate after')
        raise ValueError(f'boom in {where}')

    async def main() -> None:
        rx = dgram.create_socket('udp4')
        sockets.append(rx)
        rx.bind(0, '127.0.0.1')
        await aio.once(rx, 'listening')
        port = rx.address().port
        if where == 'listener':
            rx.prepend_listener('message', boom)
            rx.send(b'x', port, '127.0.0.1')
        elif where == 'send callback':
            rx.send(b'x', port, '127.0.0.1', boom)
        elif where == 'timer':
            timers.set_timeout(boom, 1)
            rx.send(b'x', port, '127.0.0.1')
        else:
            timers.set_immediate(boom)
            rx.send(b'x', port, '127.0.0.1')
        try:
            await asyncio.sleep(30)
        except asyncio.CancelledError:
            cancelled.append(True)
            raise
    with pytest.raises(ValueError, match=f'boom in {where}') as info:
        aio.run(main(), loop_factory=factory)
    assert info.value.__traceback__ is not None
    assert cancelled == [True]
    assert log == [where]
    # The loop is intact: dgram.run() goes on where aio.run stopped.
    sockets[0].close()
    dgram.run()
    assert log[:2] == [where, 'tick after']
    assert 'immediate after' in log


def test_exception_in_a_tick_queued_by_main_fails_run(factory: Factory) -> None:
    def boom() -> None:
        raise LookupError('tick')

    async def main() -> None:
        timers.next_tick(boom)
        await asyncio.sleep(30)
    with pytest.raises(LookupError, match='tick'):
        aio.run(main(), loop_factory=factory)


# --- attach, detach, wait_idle ---------------------------------------------------------

def test_attach_as_context_manager_and_wait_idle(factory: Factory) -> None:
    log: list[str] = []

    async def app() -> None:
        async with aio.attach():
            assert uv_loop._attached
            sock = dgram.create_socket('udp4')
            sock.bind(0, '127.0.0.1', lambda: log.append('listening'))
            sock.on('close', lambda: log.append('close'))
            timers.set_timeout(sock.close, 20)
            await aio.wait_idle()
            log.append('idle')
        assert not uv_loop._attached
    with asyncio.Runner(loop_factory=factory) as runner:
        runner.run(app())
    assert log == ['listening', 'close', 'idle']


def test_attach_nests_and_detach_is_explicit(factory: Factory) -> None:
    async def app() -> None:
        aio.attach()
        aio.attach(asyncio.get_running_loop())
        aio.detach()
        assert uv_loop._attached
        fired: list[int] = []
        timers.set_timeout(fired.append, 1, 1)
        await aio.wait_idle()
        assert fired == [1]
        aio.detach()
        assert not uv_loop._attached
        aio.detach()        # one too many: nothing happens
    with asyncio.Runner(loop_factory=factory) as runner:
        runner.run(app())


def test_wait_idle_attaches_for_its_duration(factory: Factory) -> None:
    fired: list[int] = []

    async def app() -> None:
        timers.set_timeout(fired.append, 10, 1)
        await aio.wait_idle()
        assert not uv_loop._attached
    with asyncio.Runner(loop_factory=factory) as runner:
        runner.run(app())
    assert fired == [1]


def test_attach_refuses_a_second_asyncio_loop(factory: Factory) -> None:
    async def app() -> None:
        async with aio.attach():
            unused = asyncio.new_event_loop()
            with pytest.raises(RuntimeError, match="from that loop's thread"):
                aio.attach(unused)
            unused.close()
            # Another thread's asyncio loop.
            seen: list[BaseException] = []

            async def other() -> None:
                try:
                    aio.attach()
                except RuntimeError as exc:
                    seen.append(exc)
            thread = threading.Thread(target=asyncio.run, args=(other(),))
            thread.start()
            thread.join()
            assert [str(e) for e in seen] == [
                'dgram_uv.aio: the uv loop is attached to another asyncio loop']
            with pytest.raises(RuntimeError, match='asyncio loop drives the uv loop'):
                dgram.run()
    with asyncio.Runner(loop_factory=factory) as runner:
        runner.run(app())


def test_attach_outside_a_running_loop_needs_the_loop() -> None:
    with pytest.raises(RuntimeError, match='needs a running asyncio loop'):
        aio.attach()


def test_a_closed_asyncio_loop_detaches(factory: Factory) -> None:
    async def app() -> None:
        aio.attach()          # never detached
    with asyncio.Runner(loop_factory=factory) as runner:
        runner.run(app())
    # Its thread may call dgram_uv again, and run the loop itself.
    fired: list[int] = []
    timers.set_timeout(fired.append, 1, 1)
    assert not uv_loop._attached
    dgram.run()
    assert fired == [1]
    assert aio_bridge.current() is None


def test_delivery_goes_on_after_a_listener_raised(factory: Factory) -> None:
    # Attached (no aio.run): the exception reaches the asyncio loop's
    # exception handler, and the next datagrams are still delivered.
    reported: list[BaseException] = []
    got: list[bytes] = []

    async def app() -> None:
        asyncio.get_running_loop().set_exception_handler(
            lambda loop, context: reported.append(context['exception']))
        async with aio.attach():
            rx = dgram.create_socket('udp4')
            rx.bind(0, '127.0.0.1')
            await aio.once(rx, 'listening')

            def on_message(msg: bytes, rinfo: Any) -> None:
                got.append(msg)
                if msg == b'1':
                    raise RuntimeError('listener failed')
            rx.on('message', on_message)
            done = aio.once(rx, 'close')
            rx.on('message', lambda msg, rinfo: msg == b'3' and rx.close())
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as tx:
                for i in (1, 2, 3):
                    tx.sendto(b'%d' % i, ('127.0.0.1', rx.address().port))
            await done
    with asyncio.Runner(loop_factory=factory) as runner:
        runner.run(app())
    assert got == [b'1', b'2', b'3']
    assert [str(e) for e in reported] == ['listener failed']


def test_wait_idle_raises_what_a_callback_raised(factory: Factory) -> None:
    async def app() -> None:
        async with aio.attach():
            timers.set_timeout(lambda: 1 / 0, 1)
            with pytest.raises(ZeroDivisionError):
                await aio.wait_idle()
            await aio.wait_idle()
    with asyncio.Runner(loop_factory=factory) as runner:
        runner.run(app())


# --- batching: one pass per libuv read batch, not per datagram ---------------------------

def test_a_burst_is_read_in_batches(factory: Factory, monkeypatch: pytest.MonkeyPatch) -> None:
    passes = 0
    real = uv_loop.run_nowait

    def counted() -> None:
        nonlocal passes
        passes += 1
        real()
    monkeypatch.setattr(uv_loop, 'run_nowait', counted)
    count = 320

    async def main() -> int:
        nonlocal passes
        rx = dgram.create_socket('udp4', recv_buffer_size=1 << 20)
        rx.bind(0, '127.0.0.1')
        await aio.once(rx, 'listening')
        got: list[bytes] = []
        done = asyncio.get_running_loop().create_future()

        def on_message(msg: bytes, rinfo: Any) -> None:
            got.append(msg)
            if len(got) == count:
                done.set_result(None)
        rx.on('message', on_message)
        # Sent while the asyncio thread is busy here: all wait in the kernel.
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as tx:
            for i in range(count):
                tx.sendto(b'%d' % i, ('127.0.0.1', rx.address().port))
        passes = 0
        await done
        rx.close()
        assert got == [b'%d' % i for i in range(count)]
        return passes
    used = aio.run(main(), loop_factory=factory)
    print(f'{count} datagrams in {used} passes')
    # libuv reads up to 32 datagrams per readiness of a socket.
    assert used <= count // 32 + 4


# --- async with sock (Node's Symbol.asyncDispose) ------------------------------------

JS_ASYNC_DISPOSE = '''
const dgram = require('dgram');
const { once } = require('events');
(async () => {
  const a = dgram.createSocket('udp4');
  const b = dgram.createSocket('udp4');
  for (const [name, s] of [['a', a], ['b', b]]) {
    s.on('listening', () => log('listening ' + name));
    s.on('close', () => log('close ' + name));
    s.bind(0, '127.0.0.1');
  }
  await once(b, 'listening');
  log('body');
  await b[Symbol.asyncDispose](); log('disposed b');
  await a[Symbol.asyncDispose](); log('disposed a');
  await a[Symbol.asyncDispose](); log('disposed a again');
  const c = dgram.createSocket('udp4');
  c.on('close', () => log('close c'));
  await c[Symbol.asyncDispose](); log('disposed unbound c');
})();
'''


async def py_async_dispose(log: Callable[[str], None]) -> None:
    a = dgram.create_socket('udp4')
    b = dgram.create_socket('udp4')
    for name, s in (('a', a), ('b', b)):
        s.on('listening', functools.partial(log, f'listening {name}'))
        s.on('close', functools.partial(log, f'close {name}'))
        s.bind(0, '127.0.0.1')
    await aio.once(b, 'listening')
    log('body')
    await b.__aexit__(None, None, None)
    log('disposed b')
    await a.__aexit__(None, None, None)
    log('disposed a')
    await a.__aexit__(None, None, None)
    log('disposed a again')
    c = dgram.create_socket('udp4')
    c.on('close', functools.partial(log, 'close c'))
    await c.__aexit__(None, None, None)
    log('disposed unbound c')


def test_async_dispose_order_matches_node(factory: Factory, node: Callable[..., Any]) -> None:
    expected = node(JS_PRELUDE + JS_ASYNC_DISPOSE)
    out: list[str] = []
    aio.run(py_async_dispose(out.append), loop_factory=factory)
    assert out == expected


def test_async_with_closes_in_reverse_order_even_on_error(factory: Factory) -> None:
    log: list[str] = []

    async def main() -> None:
        a = dgram.create_socket('udp4')
        b = dgram.create_socket('udp4')
        a.on('close', functools.partial(log.append, 'close a'))
        b.on('close', functools.partial(log.append, 'close b'))
        async with a, b:
            b.bind(0, '127.0.0.1')
            await aio.once(b, 'listening')
            raise LookupError('body failed')
    with pytest.raises(LookupError, match='body failed'):
        aio.run(main(), loop_factory=factory)
    assert log == ['close b', 'close a']


# --- the daemon of docs/embedding.md ---------------------------------------------------

def _free_port(kind: int) -> int:
    with socket.socket(socket.AF_INET, kind) as probe:
        probe.bind(('127.0.0.1', 0))
        return int(probe.getsockname()[1])


@pytest.mark.parametrize('loop_name', sorted(FACTORIES))
def test_the_documented_daemon_runs(loop_name: str, tmp_path: Any) -> None:
    doc = (Path(__file__).resolve().parent.parent / 'docs' / 'embedding.md').read_text()
    block = doc.split('<!-- daemon-example: tests/test_aio.py runs this block -->\n```python\n',
                      1)[1].split('```', 1)[0]
    udp_port, tcp_port = _free_port(socket.SOCK_DGRAM), _free_port(socket.SOCK_STREAM)
    code = block.replace('UDP_PORT, TCP_PORT = 41234, 41235',
                         f'UDP_PORT, TCP_PORT = {udp_port}, {tcp_port}')
    if loop_name == 'uvloop':
        code = code.replace('aio.run(main())',
                            'import uvloop\naio.run(main(), loop_factory=uvloop.new_event_loop)')
    script = tmp_path / 'daemon.py'
    script.write_text(code)
    daemon = subprocess.Popen([sys.executable, str(script)], stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 20
        while True:      # until the TCP port answers
            try:
                probe = socket.create_connection(('127.0.0.1', tcp_port), timeout=5)
                break
            except OSError:
                assert time.monotonic() < deadline and daemon.poll() is None
                time.sleep(0.05)
        probe.close()
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as tx:
            for i in range(100):
                tx.sendto(b'cpu' if i % 2 else b'mem', ('127.0.0.1', udp_port))
            time.sleep(0.3)
            with socket.create_connection(('127.0.0.1', tcp_port), timeout=5) as query:
                report = query.makefile().readline()
            tx.sendto(b'quit', ('127.0.0.1', udp_port))
        assert daemon.wait(20) == 0
    finally:
        if daemon.poll() is None:
            daemon.kill()
        _, stderr = daemon.communicate()
    assert stderr == ''
    counts = ast.literal_eval(report)
    assert set(counts) == {'cpu', 'mem'} and 0 < sum(counts.values()) <= 100
