"""The uv loop driven by a running asyncio loop (stdlib or uvloop): the bridge
under ``dgram_uv.aio``.

libuv's backend file descriptor (``uv_backend_fd``, ``pyuv.Loop.fileno()``, an
epoll fd) becomes readable whenever one of libuv's own descriptors is: the
asyncio loop watches it (``add_reader``) and runs one non-blocking pass of the
uv loop (``loop.run_nowait``: ``uv_run(UV_RUN_NOWAIT)`` between the ticks) when
it is readable, when libuv's next timer is due (``uv_backend_timeout``, an
asyncio timer), and soon after asyncio code gave the loop new work (the
``wake`` that ``loop.guard`` calls).  A pass lets libuv read everything that is
ready (up to 32 datagrams per socket and readiness, as under ``dgram.run()``):
asyncio wakes up once per batch, not once per datagram.

Passes in a row iterate in Node's order (timers, poll, check, closing), with
the next-tick queue drained after every callback, so the order of ticks,
immediates, timers and I/O callbacks is the one ``dgram.run()`` gives.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Generator
from contextlib import asynccontextmanager
from typing import Any

from .._binding import loop as uv_loop

__all__ = ['Bridge', 'attach', 'detach', 'current', 'driving', 'settled']

_uv = uv_loop.get_loop()


class Bridge:
    """The uv loop attached to one asyncio loop."""

    def __init__(self, aloop: asyncio.AbstractEventLoop) -> None:
        self.aloop = aloop
        self.count = 1                  # attach() calls not yet matched by detach()
        self.fd = _uv.fileno()
        self.closed = False
        # aio.run: the main task (the uv loop iterates whatever is referenced
        # while it runs; once it is done, only while something referenced is
        # left, as Node's loop) and the future an uncaught exception fails.
        self.main: asyncio.Future[Any] | None = None
        self.failure: asyncio.Future[None] | None = None
        self.halted = False             # aio.run failed: no callback runs any more
        self._soon: asyncio.Handle | None = None
        self._timer: asyncio.TimerHandle | None = None
        self._deadline = -1             # uv time (ms) the asyncio timer is set for
        self._idle: list[asyncio.Future[None]] = []

    def start(self) -> None:
        uv_loop.attach_driver(self.wake, self.aloop.is_closed)
        try:
            self.aloop.add_reader(self.fd, self._run_pass)
        except BaseException:
            uv_loop.detach_driver()
            raise
        self.wake()

    def stop(self) -> None:
        self.closed = True
        for handle in (self._soon, self._timer):
            if handle is not None:
                handle.cancel()
        self._soon = self._timer = None
        if not self.aloop.is_closed():
            self.aloop.remove_reader(self.fd)
        uv_loop.detach_driver()
        waiters, self._idle = self._idle, []
        for waiter in waiters:
            if not waiter.done():
                waiter.set_exception(RuntimeError('dgram_uv.aio: detached while waiting'))

    # --- passes ------------------------------------------------------------------------
    def wake(self) -> None:
        """Run a pass soon (asyncio's next iteration)."""
        if self._soon is None and not self.closed and not self.halted:
            self._soon = self.aloop.call_soon(self._run_pass)

    def _on_timer(self) -> None:
        self._timer = None
        self._deadline = -1
        self._run_pass()

    def _run_pass(self) -> None:
        if self.halted or self.closed:
            return
        if self._soon is not None:       # this pass does what it would have done
            self._soon.cancel()
            self._soon = None
        main = self.main
        holding = main is None or not main.done()
        uv_loop.keep_alive(holding)
        try:
            uv_loop.run_nowait()
        except Exception as exc:         # KeyboardInterrupt, SystemExit: asyncio's own
            self._failed(exc)
        finally:
            if not (self.closed or self.halted):
                self._schedule(holding)
        if self._idle and not uv_loop.alive():
            waiters, self._idle = self._idle, []
            for waiter in waiters:
                if not waiter.done():
                    waiter.set_result(None)

    def _schedule(self, holding: bool) -> None:
        # When to run the next pass: libuv's own poll timeout.
        if uv_loop.io_started():
            self.wake()                  # a new fd to watch: epoll learns it in a poll
            return
        timeout = _uv.get_timeout()
        if timeout == 0:
            # 0 also means "nothing referenced": then wait for a wake instead.
            if holding or uv_loop.alive():
                self.wake()
            return
        if timeout < 0:
            if self._timer is not None:
                self._timer.cancel()
                self._timer, self._deadline = None, -1
            return
        deadline = _uv.now() + round(timeout * 1000)
        if self._timer is not None:
            if deadline == self._deadline:
                return
            self._timer.cancel()
        self._timer = self.aloop.call_later(timeout, self._on_timer)
        self._deadline = deadline

    def _failed(self, exc: Exception) -> None:
        # An exception escaped a dgram_uv callback.  Under aio.run it fails
        # the run and nothing runs after it (a Node process dies of it).
        # Attached, it fails whoever awaits wait_idle(), or goes to the asyncio
        # loop's exception handler, and the loop goes on (as asyncio does after
        # a callback raised), first with what the exception interrupted.
        if self.failure is not None:
            self.halted = True
            if not self.failure.done():
                self.failure.set_exception(exc)
            return
        waiters, self._idle = self._idle, []
        failed = [w for w in waiters if not w.done()]
        for waiter in failed:
            waiter.set_exception(exc)
        if not failed:
            self.aloop.call_exception_handler({
                'message': 'Exception in a dgram_uv callback', 'exception': exc})
        self.wake()

    # --- waiting for the end ------------------------------------------------------------
    def idle_future(self) -> asyncio.Future[None]:
        """A future that resolves after a pass leaves nothing referenced."""
        waiter = self.aloop.create_future()
        self._idle.append(waiter)
        self.wake()
        return waiter


_bridge: Bridge | None = None


def current() -> Bridge | None:
    """The attached bridge (dropped if its asyncio loop was closed meanwhile)."""
    global _bridge
    bridge = _bridge
    if bridge is not None and bridge.aloop.is_closed():
        bridge.stop()
        _bridge = bridge = None
    return bridge


def attach(aloop: asyncio.AbstractEventLoop | None = None) -> Bridge:
    """Drive the uv loop from ``aloop`` (default: the running loop); attaching
    again to the same loop nests (one ``detach`` per ``attach``)."""
    global _bridge
    running = asyncio._get_running_loop()
    if aloop is None:
        if running is None:
            raise RuntimeError('dgram_uv.aio.attach() needs a running asyncio loop, '
                               'or the loop to attach to')
        aloop = running
    elif running is not None and running is not aloop:
        raise RuntimeError('dgram_uv.aio.attach(loop): call it from that loop\'s thread')
    bridge = current()
    if bridge is not None:
        if bridge.aloop is not aloop:
            raise RuntimeError('dgram_uv.aio: the uv loop is attached to another asyncio loop')
        bridge.count += 1
        return bridge
    bridge = Bridge(aloop)
    bridge.start()
    _bridge = bridge
    return bridge


def detach() -> None:
    """Undo one ``attach``; the last one stops driving the uv loop (its
    handles stay: a later ``attach`` or ``dgram.run()`` goes on with them)."""
    global _bridge
    bridge = current()
    if bridge is None:
        return
    bridge.count -= 1
    if bridge.count <= 0:
        bridge.stop()
        _bridge = None


@asynccontextmanager
async def driving() -> AsyncIterator[Bridge]:
    """The bridge of the running asyncio loop, attached for the block if it was not."""
    aloop = asyncio.get_running_loop()
    bridge = current()
    if bridge is not None and bridge.aloop is aloop:
        yield bridge
        return
    bridge = attach(aloop)
    try:
        yield bridge
    finally:
        detach()


class _Waiter:
    """A minimal future for a coroutine that something other than asyncio steps
    (e.g. on the uv loop itself): awaiting it yields it to that driver, which
    resumes the coroutine from ``add_done_callback``."""

    def __init__(self) -> None:
        self._done = False
        self._callbacks: list[Callable[[_Waiter], object]] = []

    def set(self, *_: object) -> None:
        if not self._done:
            self._done = True
            callbacks, self._callbacks = self._callbacks, []
            for callback in callbacks:
                callback(self)

    def done(self) -> bool:
        return self._done

    def result(self) -> None:
        return None

    def add_done_callback(self, callback: Callable[[_Waiter], object]) -> None:
        if self._done:
            callback(self)
        else:
            self._callbacks.append(callback)

    def __await__(self) -> Generator[_Waiter, None, None]:
        if not self._done:
            yield self


async def settled(start: Callable[[Callable[..., None]], object]) -> None:
    """``start(done)``, then wait until ``done()`` is called (Node's
    ``await promisify(fn)()``), the uv loop driven by the running asyncio loop
    meanwhile (attached for the wait if it was not).  Without a running asyncio
    loop, whatever steps the coroutine must run the uv loop.  ``start`` runs
    first, so a call from the wrong thread raises its own error."""
    aloop = asyncio._get_running_loop()
    if aloop is None:
        waiter = _Waiter()
        start(waiter.set)
        await waiter
        return
    bridge = current()
    if bridge is not None and bridge.aloop is not aloop:
        raise RuntimeError('dgram_uv.aio: the uv loop is attached to another asyncio loop')
    future = aloop.create_future()

    def done(*_: object) -> None:
        if not future.done():
            future.set_result(None)
    start(done)
    if bridge is not None and bridge.halted:
        return                           # aio.run is failing: nothing will run
    async with driving():
        await future
