"""The measured receiver of scripts/bench, in Python: dgram_uv, raw pyuv, asyncio.

Usage: bench_receiver.py IMPL COUNT MAX_SECONDS [IDLE_MS]
IMPL: dgram_uv, udp_wrap, pyuv, aio_asyncio, aio_uvloop, asyncio, asyncio_uvloop

Binds 127.0.0.1:0, prints the port on the first line of stdout, then counts
datagrams.  Process CPU time (``time.process_time()``: user + system, all
threads) is read at the FIRST datagram and again at the COUNT-th one, so the
result is the CPU time per datagram from the first datagram on (start-up and
any warm-up after the first datagram included).  It stops by itself:

* ``count``: COUNT datagrams arrived (the normal end);
* ``idle``: no datagram for IDLE_MS after the first one (the sender is done);
  the measurement then ends at the last timer tick that saw new datagrams;
* ``deadline``: MAX_SECONDS of wall time passed.

The last line of stdout is one JSON object (see ``report``).  The
``dgram_uv`` receiver is a ``dgram.create_socket('udp4')`` with one
``'message'`` listener that increments a counter; the ``pyuv`` receiver is a
bare ``pyuv.UDP`` whose ``start_recv`` callback does the same (the floor any
Python code on pyuv pays).  ``udp_wrap`` (scripts/bench --layers) peels one
layer off dgram_uv: a ``dgram_uv._binding.udp_wrap.UDP`` whose ``onmessage`` is the
counter, i.e. pyuv -> ``UDP._on_recv`` (rinfo) -> ``loop.make_callback`` ->
counter, without ``dgram._on_message`` and ``EventEmitter.emit``.

Embedding: ``aio_asyncio`` and ``aio_uvloop`` are the ``dgram_uv`` receiver
started from a coroutine under ``dgram_uv.aio.run`` (on stdlib asyncio, or with
uvloop's event loop policy); ``asyncio`` and ``asyncio_uvloop`` are asyncio's
own ``loop.create_datagram_endpoint`` with a protocol whose
``datagram_received`` increments the counter.  The JS twin is
bench_receiver.js.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from collections.abc import Callable
from typing import Any

process_time = time.process_time
TICK_MS = 100


class Meter:
    """The count and the CPU readings, shared by both receivers."""

    def __init__(self, impl: str, target: int, max_seconds: float, idle_ms: float,
                 stop: Callable[[], None]) -> None:
        self.impl = impl
        self.target = target
        self.max_seconds = max_seconds
        self.idle_ms = idle_ms
        self.stop = stop
        self.count = 0
        self.cpu0 = 0.0
        self.ru0: Any = None
        self.wall0 = 0.0
        self.started = time.monotonic()
        self.last_count = 0            # at the last tick that saw new datagrams
        self.last_cpu = 0.0
        self.last_ru: Any = None
        self.last_wall = 0.0
        self.last_change = time.monotonic()
        self.done = False

    def first(self) -> None:
        self.cpu0 = process_time()
        self.ru0 = resource.getrusage(resource.RUSAGE_SELF)
        self.wall0 = time.monotonic()

    def finish(self, reason: str, count: int, cpu1: float, ru1: Any, wall1: float) -> None:
        if self.done:
            return
        self.done = True
        measured = count - 1          # the datagrams after the first reading
        out: dict[str, Any] = {'impl': self.impl, 'end': reason, 'received': self.count,
                               'measured': max(measured, 0)}
        if measured > 0:
            cpu_us = (cpu1 - self.cpu0) * 1e6
            out.update(
                cpu_us=round(cpu_us, 1), us_per_dgram=cpu_us / measured,
                user_us_per_dgram=(ru1.ru_utime - self.ru0.ru_utime) * 1e6 / measured,
                sys_us_per_dgram=(ru1.ru_stime - self.ru0.ru_stime) * 1e6 / measured,
                wall_s=round(wall1 - self.wall0, 4),
                rate_per_s=round(measured / max(wall1 - self.wall0, 1e-9)))
        print(json.dumps(out), flush=True)
        self.stop()

    def on_count(self) -> None:
        """Called by the listener at the target count."""
        self.finish('count', self.count, process_time(),
                    resource.getrusage(resource.RUSAGE_SELF), time.monotonic())

    def tick(self) -> None:
        """Every TICK_MS: idle and deadline checks (bounded run time)."""
        now = time.monotonic()
        if self.count != self.last_count:
            self.last_count, self.last_change = self.count, now
            self.last_cpu = process_time()
            self.last_ru = resource.getrusage(resource.RUSAGE_SELF)
            self.last_wall = now
        elif self.count and (now - self.last_change) * 1000 >= self.idle_ms:
            self.finish('idle', self.last_count, self.last_cpu, self.last_ru, self.last_wall)
            return
        if now - self.started >= self.max_seconds:
            if self.count:
                self.finish('deadline', self.count, process_time(),
                            resource.getrusage(resource.RUSAGE_SELF), now)
            else:
                self.finish('deadline', 0, 0.0, None, now)


def start_dgram_uv(target: int, max_seconds: float, idle_ms: float, impl: str) -> None:
    """The dgram_uv receiver, set up on the loop that is (or will be) running."""
    import dgram_uv as dgram

    sock = dgram.create_socket('udp4')
    timer: Any = None

    def stop() -> None:
        dgram.clear_interval(timer)
        sock.close()

    meter = Meter(impl, target, max_seconds, idle_ms, stop)
    first, on_count = meter.first, meter.on_count

    def on_message(msg: bytes, rinfo: Any) -> None:
        count = meter.count = meter.count + 1
        if count == 1:
            first()
        elif count == target:
            on_count()

    sock.on('message', on_message)

    def on_listening() -> None:
        print(sock.address().port, flush=True)

    sock.bind(0, '127.0.0.1', on_listening)
    timer = dgram.set_interval(meter.tick, TICK_MS)


def run_dgram_uv(target: int, max_seconds: float, idle_ms: float) -> None:
    import dgram_uv as dgram

    start_dgram_uv(target, max_seconds, idle_ms, 'dgram_uv')
    dgram.run()


def run_aio(target: int, max_seconds: float, idle_ms: float, use_uvloop: bool) -> None:
    import asyncio

    from dgram_uv import aio

    if use_uvloop:
        import uvloop
        asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())

    async def main() -> None:
        start_dgram_uv(target, max_seconds, idle_ms,
                       'aio_uvloop' if use_uvloop else 'aio_asyncio')

    aio.run(main())   # returns once the socket and the timer are gone


def run_asyncio(target: int, max_seconds: float, idle_ms: float, use_uvloop: bool) -> None:
    import asyncio

    impl = 'asyncio_uvloop' if use_uvloop else 'asyncio'

    async def main() -> None:
        loop = asyncio.get_running_loop()
        done = loop.create_future()
        transport: Any = None
        ticker: Any = None

        def stop() -> None:
            ticker.cancel()
            transport.close()
            done.set_result(None)

        meter = Meter(impl, target, max_seconds, idle_ms, stop)
        first, on_count = meter.first, meter.on_count

        class Counter(asyncio.DatagramProtocol):
            def datagram_received(self, data: bytes, addr: Any) -> None:
                count = meter.count = meter.count + 1
                if count == 1:
                    first()
                elif count == target:
                    on_count()

        def tick() -> None:
            nonlocal ticker
            ticker = loop.call_later(TICK_MS / 1000, tick)
            meter.tick()

        transport, _ = await loop.create_datagram_endpoint(Counter, local_addr=('127.0.0.1', 0))
        print(transport.get_extra_info('sockname')[1], flush=True)
        ticker = loop.call_later(TICK_MS / 1000, tick)
        await done

    if use_uvloop:
        import uvloop
        uvloop.run(main())
    else:
        asyncio.run(main())


def import_udp_wrap() -> Any:
    """dgram_uv's UDPWrap module, wherever the package keeps it."""
    import importlib

    for name in ('dgram_uv._binding.udp_wrap',):
        try:
            return importlib.import_module(name)
        except ImportError:
            continue
    raise SystemExit('udp_wrap: dgram_uv._binding.udp_wrap is missing')


def run_udp_wrap(target: int, max_seconds: float, idle_ms: float) -> None:
    import dgram_uv as dgram

    udp_wrap = import_udp_wrap()

    handle = udp_wrap.UDP()
    timer: Any = None

    def stop() -> None:
        dgram.clear_interval(timer)
        handle.recv_stop()
        handle.close()

    meter = Meter('udp_wrap', target, max_seconds, idle_ms, stop)
    first, on_count = meter.first, meter.on_count

    def onmessage(nread: int, handle: Any, buf: Any, rinfo: Any) -> None:
        count = meter.count = meter.count + 1
        if count == 1:
            first()
        elif count == target:
            on_count()

    out: dict[str, Any] = {}
    if handle.bind('127.0.0.1', 0, 0) or handle.getsockname(out):
        raise SystemExit('udp_wrap: bind failed')
    handle.onmessage = onmessage
    handle.recv_start()
    print(out['port'], flush=True)
    timer = dgram.set_interval(meter.tick, TICK_MS)
    dgram.run()


def run_pyuv(target: int, max_seconds: float, idle_ms: float) -> None:
    import pyuv

    loop = pyuv.Loop.default_loop()
    handle = pyuv.UDP(loop)
    timer = pyuv.Timer(loop)

    def stop() -> None:
        timer.close()
        handle.close()

    meter = Meter('pyuv', target, max_seconds, idle_ms, stop)
    first, on_count = meter.first, meter.on_count

    def on_recv(handle: Any, addr: Any, flags: int, data: Any, error: Any) -> None:
        count = meter.count = meter.count + 1
        if count == 1:
            first()
        elif count == target:
            on_count()

    handle.bind(('127.0.0.1', 0))
    handle.start_recv(on_recv)
    print(handle.getsockname()[1], flush=True)
    timer.start(lambda t: meter.tick(), TICK_MS / 1000, TICK_MS / 1000)
    loop.run(pyuv.UV_RUN_DEFAULT)


def main(argv: list[str]) -> int:
    impl, target, max_seconds = argv[1], int(argv[2]), float(argv[3])
    idle_ms = float(argv[4]) if len(argv) > 4 else 500.0
    if impl == 'dgram_uv':
        run_dgram_uv(target, max_seconds, idle_ms)
    elif impl == 'udp_wrap':
        run_udp_wrap(target, max_seconds, idle_ms)
    elif impl == 'pyuv':
        run_pyuv(target, max_seconds, idle_ms)
    elif impl in ('aio_asyncio', 'aio_uvloop'):
        run_aio(target, max_seconds, idle_ms, impl == 'aio_uvloop')
    elif impl in ('asyncio', 'asyncio_uvloop'):
        run_asyncio(target, max_seconds, idle_ms, impl == 'asyncio_uvloop')
    else:
        print(f'bench_receiver.py: unknown implementation {impl!r}', file=sys.stderr)
        return 2
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
