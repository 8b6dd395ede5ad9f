"""dgram_uv.aio's ``once`` and ``on`` (Node's ``events.once``/``events.on``) on
stdlib asyncio and uvloop: results, errors, AbortSignal and asyncio
cancellation against the Node oracle (JS/Python twins, as tests/test_loop.py),
and a dgram Socket's backpressure (``high_water_mark``) with real datagrams.
"""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from collections.abc import Callable, Coroutine
from typing import Any

import pytest
import uvloop

import dgram_uv as dgram
from dgram_uv import aio, errors, timers
from dgram_uv.abort import AbortController, AbortSignal, Event, EventTarget, ThrownValue
from dgram_uv.events import EventEmitter

Factory = Callable[[], asyncio.AbstractEventLoop] | None
FACTORIES: dict[str, Factory] = {'asyncio': None, 'uvloop': uvloop.new_event_loop}
Log = Callable[[str], None]

JS_PRELUDE = '''
const out = [];
const log = (s) => { out.push(String(s)); };
process.on('exit', () => { process.stdout.write(JSON.stringify(out)); });
const { EventEmitter, once, on } = require('events');
'''


@pytest.fixture(params=sorted(FACTORIES))
def factory(request: pytest.FixtureRequest) -> Factory:
    return FACTORIES[request.param]


def listeners(ee: EventEmitter, *names: str) -> str:
    return ' '.join(str(ee.listener_count(name)) for name in names)


# --- twins: (JS, Python) -------------------------------------------------------------

JS_ONCE = '''
(async () => {
  const ee = new EventEmitter();
  process.nextTick(() => ee.emit('ev', 1, 'two'));
  log(JSON.stringify(await once(ee, 'ev')));
  log(ee.listenerCount('ev') + ' ' + ee.listenerCount('error'));
  process.nextTick(() => ee.emit('error', new Error('bad')));
  try { await once(ee, 'ev'); } catch (e) { log('caught ' + e.message); }
  log(ee.listenerCount('ev') + ' ' + ee.listenerCount('error'));
  process.nextTick(() => ee.emit('error', new Error('E')));
  const [err] = await once(ee, 'error');
  log('got ' + err.message);
  const ac = new AbortController();
  const p = once(ee, 'ev', { signal: ac.signal });
  log(ee.listenerCount('ev') + ' ' + ee.listenerCount('error'));
  ac.abort('why');
  try { await p; } catch (e) { log(e.name + ' ' + e.code + ' ' + e.cause); }
  log(ee.listenerCount('ev') + ' ' + ee.listenerCount('error'));
  try { await once(ee, 'ev', { signal: AbortSignal.abort('pre') }); } catch (e) {
    log(e.name + ' ' + e.cause); }
  log(ee.listenerCount('ev') + ' ' + ee.listenerCount('error'));
  try { await once(ee, 'ev', { signal: 1 }); } catch (e) {
    log(e.code + ' ' + e.message.split(' Received')[0]); }
  const et = new EventTarget();
  process.nextTick(() => et.dispatchEvent(new Event('foo')));
  const [ev] = await once(et, 'foo');
  log(ev.type);
  process.nextTick(() => ee.emit('error', 'str'));
  try { await once(ee, 'ev'); } catch (e) { log(typeof e + ' ' + e); }
})();
'''


async def py_once(log: Log) -> None:
    ee = EventEmitter()
    timers.next_tick(ee.emit, 'ev', 1, 'two')
    log(json.dumps(list(await aio.once(ee, 'ev')), separators=(',', ':')))
    log(listeners(ee, 'ev', 'error'))
    timers.next_tick(ee.emit, 'error', Exception('bad'))
    try:
        await aio.once(ee, 'ev')
    except Exception as e:
        log(f'caught {e}')
    log(listeners(ee, 'ev', 'error'))
    timers.next_tick(ee.emit, 'error', Exception('E'))
    (err,) = await aio.once(ee, 'error')
    log(f'got {err}')
    ac = AbortController()
    p = aio.once(ee, 'ev', signal=ac.signal)
    log(listeners(ee, 'ev', 'error'))
    ac.abort('why')
    try:
        await p
    except errors.AbortError as e:
        log(f'{e.name} {e.code} {e.cause}')
    log(listeners(ee, 'ev', 'error'))
    try:
        await aio.once(ee, 'ev', signal=AbortSignal.abort('pre'))
    except errors.AbortError as e:
        log(f'{e.name} {e.cause}')
    log(listeners(ee, 'ev', 'error'))
    try:
        await aio.once(ee, 'ev', signal=1)
    except TypeError as e:      # the 'Received' clause describes the Python value
        log(f'{e.code} {str(e).split(" Received")[0]}')    # type: ignore[attr-defined]
    et = EventTarget()
    timers.next_tick(et.dispatch_event, Event('foo'))
    (ev,) = await aio.once(et, 'foo')
    log(ev.type)
    timers.next_tick(ee.emit, 'error', 'str')
    try:
        await aio.once(ee, 'ev')
    except ThrownValue as e:
        log(f'string {e.value}')


JS_ON = '''
(async () => {
  const ee = new EventEmitter();
  const it = on(ee, 'ev');
  ee.emit('ev', 1); ee.emit('ev', 2);
  process.nextTick(() => {
    ee.emit('ev', 3); ee.emit('error', new Error('bad')); ee.emit('ev', 4); });
  try { for await (const [v] of it) log('v ' + v); } catch (e) { log('caught ' + e.message); }
  log(ee.listenerCount('ev') + ' ' + ee.listenerCount('error'));
  const it2 = on(ee, 'ev');
  ee.emit('ev', 'x'); ee.emit('ev', 'y');
  for await (const [v] of it2) { log('got ' + v); break; }
  log(ee.listenerCount('ev') + ' ' + ee.listenerCount('error'));
  const it3 = on(ee, 'ev', { close: ['end'] });
  ee.emit('ev', 1); ee.emit('end'); ee.emit('ev', 2);
  for await (const [v] of it3) log('c ' + v);
  log('ended ' + ee.listenerCount('ev') + ' ' + ee.listenerCount('end'));
  const ac = new AbortController();
  const it4 = on(ee, 'ev', { signal: ac.signal });
  ee.emit('ev', 1);
  process.nextTick(() => ac.abort('r'));
  try { for await (const [v] of it4) log('a ' + v); } catch (e) { log(e.name + ' ' + e.cause); }
  log(ee.listenerCount('ev') + ' ' + ee.listenerCount('error'));
  try { on(ee, 'ev', { signal: AbortSignal.abort('pre') }); } catch (e) {
    log(e.name + ' ' + e.cause); }
  try { on(ee, 'ev', { highWaterMark: 0 }); } catch (e) {
    log(e.code + ' ' + e.message.split(' Received')[0]); }
  const it5 = on(ee, 'error');
  ee.emit('error', new Error('as event'));
  for await (const [e] of it5) { log('error event ' + e.message); break; }
  log(ee.listenerCount('error'));
})();
'''


async def py_on(log: Log) -> None:
    ee = EventEmitter()
    it = aio.on(ee, 'ev')
    ee.emit('ev', 1)
    ee.emit('ev', 2)

    def later() -> None:
        ee.emit('ev', 3)
        ee.emit('error', Exception('bad'))
        ee.emit('ev', 4)
    timers.next_tick(later)
    try:
        async for (v,) in it:
            log(f'v {v}')
    except Exception as e:
        log(f'caught {e}')
    log(listeners(ee, 'ev', 'error'))
    it2 = aio.on(ee, 'ev')
    ee.emit('ev', 'x')
    ee.emit('ev', 'y')
    async for (v,) in it2:
        log(f'got {v}')
        break
    del it2
    log(listeners(ee, 'ev', 'error'))
    it3 = aio.on(ee, 'ev', close=['end'])
    ee.emit('ev', 1)
    ee.emit('end')
    ee.emit('ev', 2)
    async for (v,) in it3:
        log(f'c {v}')
    log(f'ended {listeners(ee, "ev", "end")}')
    ac = AbortController()
    it4 = aio.on(ee, 'ev', signal=ac.signal)
    ee.emit('ev', 1)
    timers.next_tick(ac.abort, 'r')
    try:
        async for (v,) in it4:
            log(f'a {v}')
    except errors.AbortError as e:
        log(f'{e.name} {e.cause}')
    log(listeners(ee, 'ev', 'error'))
    try:
        aio.on(ee, 'ev', signal=AbortSignal.abort('pre'))
    except errors.AbortError as e:
        log(f'{e.name} {e.cause}')
    try:
        aio.on(ee, 'ev', high_water_mark=0)
    except ValueError as e:
        log(f'{e.code} {str(e).split(" Received")[0]}')    # type: ignore[attr-defined]
    it5 = aio.on(ee, 'error')
    ee.emit('error', Exception('as event'))
    async for (e,) in it5:
        log(f'error event {e}')
        break
    del it5
    log(listeners(ee, 'error'))


JS_HIGH_WATER_MARK = '''
(async () => {
  const ee = new EventEmitter();
  ee.pause = () => log('pause'); ee.resume = () => log('resume');
  const it = on(ee, 'ev', { highWaterMark: 3 });
  for (let i = 0; i < 6; i++) ee.emit('ev', i);
  for await (const [v] of it) { log('v ' + v); if (v === 5) break; }
  const it2 = on(ee, 'ev', { highWaterMark: 2, lowWaterMark: 2 });
  for (let i = 0; i < 4; i++) ee.emit('ev', i);
  for await (const [v] of it2) { log('w ' + v); if (v === 3) break; }
})();
'''


async def py_high_water_mark(log: Log) -> None:
    ee = EventEmitter()
    ee.pause = lambda: log('pause')      # type: ignore[attr-defined]
    ee.resume = lambda: log('resume')    # type: ignore[attr-defined]
    it = aio.on(ee, 'ev', high_water_mark=3)
    for i in range(6):
        ee.emit('ev', i)
    async for (v,) in it:
        log(f'v {v}')
        if v == 5:
            break
    del it      # JS's break calls it.return(); here dropping the iterator does
    it2 = aio.on(ee, 'ev', high_water_mark=2, low_water_mark=2)
    for i in range(4):
        ee.emit('ev', i)
    async for (v,) in it2:
        log(f'w {v}')
        if v == 3:
            break


TWINS: dict[str, tuple[str, Callable[[Log], Coroutine[Any, Any, None]]]] = {
    'once': (JS_ONCE, py_once),
    'on': (JS_ON, py_on),
    'high_water_mark': (JS_HIGH_WATER_MARK, py_high_water_mark),
}


@pytest.mark.parametrize('name', sorted(TWINS))
def test_matches_node(name: str, factory: Factory, node: Callable[..., Any]) -> None:
    js, py = TWINS[name]
    expected = node(JS_PRELUDE + js)
    out: list[str] = []
    aio.run(py(out.append), loop_factory=factory)
    assert out == expected


# --- asyncio cancellation ---------------------------------------------------------------

def test_cancelling_once_removes_its_listeners_at_once(factory: Factory) -> None:
    async def main() -> None:
        ee = EventEmitter()
        ac = AbortController()
        task = asyncio.ensure_future(aio.once(ee, 'ev', signal=ac.signal))
        await asyncio.sleep(0)
        assert listeners(ee, 'ev', 'error') == '1 1'
        task.cancel()
        assert listeners(ee, 'ev', 'error') == '0 0'
        # An 'error' now has no listener again: EventEmitter raises it.
        with pytest.raises(ValueError, match='unhandled'):
            ee.emit('error', ValueError('unhandled'))
        with pytest.raises(asyncio.CancelledError):
            await task
        ac.abort()      # nothing listens any more
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(aio.once(ee, 'ev'), 0.02)
        assert listeners(ee, 'ev', 'error') == '0 0'
    aio.run(main(), loop_factory=factory)


def test_once_listens_from_the_call(factory: Factory) -> None:
    async def main() -> tuple[Any, ...]:
        ee = EventEmitter()
        pending = aio.once(ee, 'ev')
        ee.emit('ev', 'early')        # before anything awaits it
        return await pending
    assert aio.run(main(), loop_factory=factory) == ('early',)


def test_a_cancelled_read_loses_no_event(factory: Factory) -> None:
    async def main() -> list[Any]:
        ee = EventEmitter()
        it = aio.on(ee, 'ev')
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(it.__anext__(), 0.02)
        assert ee.listener_count('ev') == 1     # the iterator goes on
        reader = asyncio.ensure_future(it.__anext__())
        await asyncio.sleep(0)
        ee.emit('ev', 1)                  # handed to the waiting reader ...
        reader.cancel()                   # ... which is cancelled before it runs
        with pytest.raises(asyncio.CancelledError):
            await reader
        ee.emit('ev', 2)
        got = [await it.__anext__(), await it.__anext__()]
        await it.aclose()
        assert ee.listener_count('ev') == 0
        with pytest.raises(StopAsyncIteration):
            await it.__anext__()
        return got
    assert aio.run(main(), loop_factory=factory) == [(1,), (2,)]


def test_aclose_ends_a_waiting_reader(factory: Factory) -> None:
    async def main() -> list[Any]:
        ee = EventEmitter()
        it = aio.on(ee, 'ev')
        got: list[Any] = []

        async def read() -> None:
            async for args in it:
                got.append(args)
        reader = asyncio.ensure_future(read())
        await asyncio.sleep(0)
        ee.emit('ev', 'a')
        await asyncio.sleep(0)
        await it.aclose()
        await reader
        return got
    assert aio.run(main(), loop_factory=factory) == [('a',)]


# --- a dgram Socket's backpressure --------------------------------------------------------

def _drops(port: int) -> int:
    """The kernel's count of datagrams dropped at 127.0.0.1:``port`` (/proc/net/udp)."""
    local = f'0100007F:{port:04X}'
    with open('/proc/net/udp') as table:
        for line in table.readlines()[1:]:
            fields = line.split()
            if fields[1] == local:
                return int(fields[-1])
    raise AssertionError(f'no UDP socket at 127.0.0.1:{port}')


@pytest.mark.parametrize('high_water_mark', [32, None])
def test_a_slow_consumer_pauses_receiving(high_water_mark: int | None,
                                          factory: Factory) -> None:
    count = 3000
    stats: dict[str, Any] = {}

    async def main() -> None:
        rx = dgram.create_socket('udp4')
        rx.bind(0, '127.0.0.1')
        await aio.once(rx, 'listening')
        port = rx.address().port
        rx.set_recv_buffer_size(64 * 1024)
        it = aio.on(rx, 'message', high_water_mark=high_water_mark)

        def blast() -> None:     # another thread, a plain socket: outside the loop
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as tx:
                for seq in range(count):
                    tx.sendto(seq.to_bytes(4, 'big') + bytes(60), ('127.0.0.1', port))
                    if seq % 100 == 99:
                        time.sleep(0.001)
        sender = threading.Thread(target=blast)
        sender.start()
        seqs: list[int] = []
        max_size = 0
        paused_seen = stopped_seen = False
        while True:
            try:
                msg, rinfo = await asyncio.wait_for(it.__anext__(), 0.5)
            except TimeoutError:
                if not sender.is_alive():
                    break
                continue
            seqs.append(int.from_bytes(msg[:4], 'big'))
            max_size = max(max_size, it.size)
            if it.paused:
                paused_seen = True
                stopped_seen = stopped_seen or not rx._state.receiving
            # The slow consumer; after the first datagram it pauses long enough
            # (50 ms) for several libuv passes to read the blast, whatever the
            # machine's speed: the kernel's 64 KB buffer alone holds only ~100.
            await asyncio.sleep(0.05 if len(seqs) == 1 else 0.0002)
        sender.join()
        stats.update(seqs=seqs, max_size=max_size, paused=paused_seen, stopped=stopped_seen,
                     drops=_drops(port))
        await it.aclose()
        assert rx._state.receiving        # not left paused
        async with rx:
            pass

    aio.run(main(), loop_factory=factory)
    seqs = stats['seqs']
    print(f"hwm {high_water_mark}: {len(seqs)} yielded, {stats['drops']} dropped by the kernel, "
          f"at most {stats['max_size']} unread")
    # Every datagram the kernel delivered is yielded once, in order.
    assert seqs == sorted(set(seqs))
    assert len(seqs) == count - stats['drops']
    if high_water_mark is None:
        # Nothing holds libuv back: unread datagrams pile up in Python.
        assert stats['max_size'] > 4 * 32 and not stats['paused']
    else:
        # Receiving stops at the mark: at most that many wait in Python.
        assert stats['paused'] and stats['stopped']
        assert stats['max_size'] <= high_water_mark


def test_backpressure_resumes_below_half(factory: Factory) -> None:
    async def main() -> list[tuple[int, bool]]:
        rx = dgram.create_socket('udp4')
        rx.bind(0, '127.0.0.1')
        await aio.once(rx, 'listening')
        it = aio.on(rx, 'message', high_water_mark=8)
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as tx:
            for i in range(12):
                tx.sendto(b'%d' % i, ('127.0.0.1', rx.address().port))
        while it.size < 8:
            await asyncio.sleep(0.005)
        await asyncio.sleep(0.05)          # paused: no more arrive
        trace = [(it.size, rx._state.receiving)]
        for _ in range(5):
            await it.__anext__()
            trace.append((it.size, rx._state.receiving))
        await it.aclose()
        rx.close()
        return trace
    trace = aio.run(main(), loop_factory=factory)
    # 8 wait: stopped; it starts again once fewer than 4 (half of 8) wait.
    assert trace == [(8, False), (7, False), (6, False), (5, False), (4, False), (3, True)]
