"""Threads: a dgram_uv call from a thread that is not the loop's raises
``WrongThreadError`` (under ``dgram.run()`` and under ``dgram_uv.aio``, on
stdlib asyncio and uvloop); ``call_soon_threadsafe`` runs a function on the
loop's thread and wakes a waiting loop; with no loop running, any thread may
call.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import uvloop

import dgram_uv as dgram
from dgram_uv import aio, timers
from dgram_uv._binding import loop as uv_loop

Factory = Callable[[], asyncio.AbstractEventLoop] | None
FACTORIES: dict[str, Factory] = {'asyncio': None, 'uvloop': uvloop.new_event_loop}


@pytest.fixture(params=sorted(FACTORIES))
def factory(request: pytest.FixtureRequest) -> Factory:
    return FACTORIES[request.param]


def wrong_thread_calls(sock: dgram.Socket, port: int,
                       unbound: dgram.Socket) -> dict[str, Callable[[], object]]:
    """The calls that must refuse another thread: each creates or changes work."""
    return {
        'send': lambda: sock.send(b'x', port, '127.0.0.1'),
        'create_socket': lambda: dgram.create_socket('udp4'),
        'bind': lambda: unbound.bind(0),
        'close': lambda: sock.close(),
        'set_timeout': lambda: timers.set_timeout(print, 10),
        'set_immediate': lambda: timers.set_immediate(print),
        'next_tick': lambda: timers.next_tick(print),
        'unref': lambda: sock.unref(),
    }


@pytest.fixture
def loop_thread() -> Iterator[dict[str, Any]]:
    """``dgram.run()`` in a thread of its own, kept alive by a bound socket."""
    state: dict[str, Any] = {'errors': []}
    sock = dgram.create_socket('udp4')
    sock.bind(0, '127.0.0.1')
    listening = threading.Event()
    sock.on('listening', listening.set)
    state['sock'] = sock
    state['unbound'] = dgram.create_socket('udp4')

    def run() -> None:
        state['ident'] = threading.get_ident()
        try:
            dgram.run()
        except BaseException as exc:
            state['errors'].append(exc)
    thread = threading.Thread(target=run, name='uv-loop')
    thread.start()
    assert listening.wait(10)
    state['thread'] = thread
    yield state
    if thread.is_alive():
        dgram.call_soon_threadsafe(sock.close)
    thread.join(10)
    assert not thread.is_alive()
    state['unbound'].close()
    dgram.run()


CALLS = sorted(wrong_thread_calls(None, 0, None))  # type: ignore[arg-type]


@pytest.mark.parametrize('call', CALLS)
def test_a_call_from_another_thread_raises_under_run(call: str,
                                                     loop_thread: dict[str, Any]) -> None:
    sock = loop_thread['sock']
    ticks = len(uv_loop._tick_queue)
    with pytest.raises(aio.WrongThreadError) as info:
        wrong_thread_calls(sock, sock.address().port, loop_thread['unbound'])[call]()
    assert "dgram_uv was called from thread 'MainThread'" in str(info.value)
    assert "runs in thread 'uv-loop' (dgram_uv.run())" in str(info.value)
    assert 'dgram_uv.call_soon_threadsafe(fn, *args)' in str(info.value)
    assert len(uv_loop._tick_queue) == ticks     # nothing was queued
    assert isinstance(info.value, RuntimeError)


def test_call_soon_threadsafe_runs_on_the_loop_thread(loop_thread: dict[str, Any]) -> None:
    sock = loop_thread['sock']
    log: list[Any] = []
    done = threading.Event()

    def on_loop(a: int, b: str) -> None:
        log.append((a, b, threading.get_ident() == loop_thread['ident']))
        timers.next_tick(log.append, 'tick')        # drained after the call
        sock.send(b'x', sock.address().port, '127.0.0.1', lambda *_: done.set())
    sock.on('message', lambda msg, rinfo: log.append(msg))
    dgram.call_soon_threadsafe(on_loop, 1, 'two')
    assert done.wait(10)
    dgram.call_soon_threadsafe(sock.close)
    loop_thread['thread'].join(10)
    assert log[:2] == [(1, 'two', True), 'tick']
    assert loop_thread['errors'] == []


def test_an_exception_in_a_threadsafe_call_stops_run(loop_thread: dict[str, Any]) -> None:
    sock = loop_thread['sock']
    ran: list[str] = []

    def boom() -> None:
        raise KeyError('threadsafe')
    dgram.call_soon_threadsafe(boom)
    dgram.call_soon_threadsafe(ran.append, 'after')
    loop_thread['thread'].join(10)
    assert [repr(e) for e in loop_thread['errors']] == ["KeyError('threadsafe')"]
    assert ran == []
    # The next run() makes the calls that were waiting.
    sock.close()
    dgram.run()
    assert ran == ['after']


def test_call_soon_threadsafe_checks_its_callback() -> None:
    with pytest.raises(TypeError, match='callable'):
        dgram.call_soon_threadsafe('not a function')  # type: ignore[arg-type]
    assert aio.call_soon_threadsafe is dgram.call_soon_threadsafe


def test_with_no_loop_running_any_thread_may_call() -> None:
    made: list[dgram.Socket] = []
    thread = threading.Thread(target=lambda: made.append(dgram.create_socket('udp4')))
    thread.start()
    thread.join()
    log: list[str] = []
    made[0].bind(0, '127.0.0.1', lambda: log.append('listening'))
    made[0].on('listening', made[0].close)
    dgram.run()
    assert log == ['listening']


def test_under_aio_a_call_from_another_thread_raises(factory: Factory) -> None:
    async def main() -> list[Any]:
        sock = dgram.create_socket('udp4')
        sock.bind(0, '127.0.0.1')
        await aio.once(sock, 'listening')
        port = sock.address().port
        failures: dict[str, str] = {}
        log: list[Any] = []
        aloop_ident = threading.get_ident()
        got = aio.once(sock, 'message')
        unbound = dgram.create_socket('udp4')

        def other() -> None:
            for name, call in wrong_thread_calls(sock, port, unbound).items():
                try:
                    call()
                except aio.WrongThreadError as exc:
                    failures[name] = str(exc)

            def on_loop() -> None:
                log.append(threading.get_ident() == aloop_ident)
                sock.send(b'from the loop', port, '127.0.0.1')
            aio.call_soon_threadsafe(on_loop)
        thread = threading.Thread(target=other, name='worker')
        thread.start()
        msg, _ = await got
        thread.join()
        sock.close()
        unbound.close()
        assert sorted(failures) == CALLS
        assert all("from thread 'worker'" in text and 'asyncio' in text
                   for text in failures.values())
        return [bytes(msg), *log]
    assert aio.run(main(), loop_factory=factory) == [b'from the loop', True]
