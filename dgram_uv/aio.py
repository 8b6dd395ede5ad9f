"""dgram_uv inside asyncio (stdlib asyncio or uvloop): the uv loop driven by a
running asyncio loop.

::

    import asyncio, dgram_uv as dgram, dgram_uv.aio as aio

    async def main():
        sock = dgram.create_socket('udp4')
        sock.bind(41234)
        await aio.once(sock, 'listening')
        async for msg, rinfo in aio.on(sock, 'message', high_water_mark=256):
            ...

    aio.run(main())

* ``run(main)``: ``asyncio.run`` with the uv loop attached; after ``main``
  returns it goes on until nothing referenced is left in the uv loop (as
  ``dgram.run()``), then returns ``main``'s result.  An exception that escapes
  a dgram_uv callback (a listener, a send callback, a timer) fails it.
* ``attach(loop=None)`` / ``detach()``: for an application whose asyncio loop
  already runs (``async with aio.attach(): ...``); ``await wait_idle()``.
* ``once`` and ``on``: Node's ``events.once`` and ``events.on``; ``on`` with
  ``high_water_mark`` pauses a socket's receiving (backpressure).
* ``call_soon_threadsafe(fn, *args)``: the way in from another thread.  A
  dgram_uv call from a thread that is not the loop's raises
  ``WrongThreadError``.

The order of next ticks, immediates, timers and I/O callbacks is the one
``dgram.run()`` (Node) gives; a coroutine that awaits a dgram_uv event goes
on in asyncio's next iteration, after the libuv pass that delivered it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine, Hashable, Iterable
from types import TracebackType
from typing import Any, TypeVar

from ._binding.loop import WrongThreadError, call_soon_threadsafe
from ._internal import aio_bridge
from ._internal.aio_events import EventIterator
from ._internal.aio_events import on as _on
from ._internal.aio_events import once as _once

__all__ = ['run', 'attach', 'detach', 'wait_idle', 'once', 'on', 'call_soon_threadsafe',
           'Attachment', 'EventIterator', 'WrongThreadError']

T = TypeVar('T')


def run(main: Coroutine[Any, Any, T], *, debug: bool | None = None,
        loop_factory: Callable[[], asyncio.AbstractEventLoop] | None = None) -> T:
    """Run the coroutine ``main`` like ``asyncio.run``, with the uv loop
    attached; then keep the loop running until nothing referenced is left in
    it (Node's rule, as ``dgram.run()``), and return ``main``'s result.

    ``loop_factory`` as for ``asyncio.Runner`` (``uvloop.new_event_loop`` for
    uvloop).  An exception escaping a dgram_uv callback cancels ``main`` and
    is raised from here; nothing else runs in the uv loop after it.  The uv
    loop stays intact: a later ``run`` or ``dgram.run()`` goes on with it.
    """
    if not asyncio.iscoroutine(main):
        raise ValueError(f'a coroutine was expected, got {main!r}')
    with asyncio.Runner(debug=debug, loop_factory=loop_factory) as runner:
        return runner.run(_main(main))


async def _main(main: Coroutine[Any, Any, T]) -> T:
    aloop = asyncio.get_running_loop()
    # The task first: its first step runs before the first pass, so a main
    # that returns at once leaves the loop to Node's rule, as a script does.
    task = aloop.create_task(main)
    try:
        bridge = aio_bridge.attach(aloop)
    except BaseException:
        task.cancel()
        raise
    try:
        failure: asyncio.Future[None] = aloop.create_future()
        bridge.failure = failure
        bridge.main = task
        try:
            await asyncio.wait((task, failure), return_when=asyncio.FIRST_COMPLETED)
        except asyncio.CancelledError:
            task.cancel()
            raise
        if failure.done():
            task.cancel()
            try:
                await task
            except (Exception, asyncio.CancelledError):
                pass
            failure.result()          # raises the callback's exception
        result = task.result()        # raises main's own exception
        idle = bridge.idle_future()
        await asyncio.wait((idle, failure), return_when=asyncio.FIRST_COMPLETED)
        if failure.done():
            failure.result()
        return result
    finally:
        bridge.failure = bridge.main = None
        aio_bridge.detach()


class Attachment:
    """What ``attach()`` returns: ``async with`` it to detach at the end."""

    def __init__(self) -> None:
        self._open = True

    def detach(self) -> None:
        """``detach()``, once."""
        if self._open:
            self._open = False
            aio_bridge.detach()

    async def __aenter__(self) -> Attachment:
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None,
                        exc: BaseException | None, tb: TracebackType | None) -> None:
        self.detach()


def attach(loop: asyncio.AbstractEventLoop | None = None) -> Attachment:
    """Drive the uv loop from the asyncio loop ``loop`` (default: the running
    one), from now on: its sockets receive, its timers fire, whether they are
    referenced or not, while that loop runs.  Call it in the loop's thread.

    Attaching again to the same loop nests (each ``attach`` wants one
    ``detach``).  While attached, ``dgram.run()`` refuses to run and only the
    loop's thread may call dgram_uv.  An exception escaping a dgram_uv
    callback fails the pending ``wait_idle()`` calls, or else goes to the
    asyncio loop's exception handler; the uv loop goes on.
    """
    aio_bridge.attach(loop)
    return Attachment()


def detach() -> None:
    """Undo one ``attach()``; the last stops driving the uv loop (its sockets
    and timers stay, for a later ``attach`` or ``dgram.run()``)."""
    aio_bridge.detach()


async def wait_idle() -> None:
    """Return when nothing referenced is left in the uv loop (no referenced
    socket, timer, immediate, pending request or next tick), attaching the
    running asyncio loop meanwhile if it is not attached.  Raises the
    exception that escaped a dgram_uv callback, if one did meanwhile."""
    async with aio_bridge.driving() as bridge:
        idle = bridge.idle_future()
        try:
            await idle
        finally:
            if not idle.done():
                idle.cancel()


def once(emitter: Any, name: Hashable, *, signal: Any = None) -> asyncio.Future[tuple[Any, ...]]:
    """Node's ``events.once``: a future of the arguments of ``name``'s next emit.

    The listeners are added now (call it before the event can happen); the
    future fails with the error if ``'error'`` is emitted first (unless
    ``name`` is ``'error'``), with ``AbortError`` if ``signal`` aborts.
    Cancelling it (or the task awaiting it) removes the listeners.  Works
    with EventEmitters and EventTargets; needs a running asyncio loop.
    """
    return _once(emitter, name, signal=signal)


def on(emitter: Any, name: Hashable, *, signal: Any = None, high_water_mark: int | None = None,
       low_water_mark: int | None = None, close: Iterable[Hashable] = ()) -> EventIterator:
    """Node's ``events.on``: an async iterator of the argument tuples of
    ``name``'s emits, from now on.

    ``'error'`` raises from the iterator, then it ends; so does an abort of
    ``signal`` (``AbortError``); an event named in ``close`` ends it (as
    Node's ``close`` option; e.g. ``close=['close']`` for a socket).
    ``break`` or ``aclose()`` removes the listeners.

    For a dgram Socket and ``'message'``, ``high_water_mark=n`` stops the
    socket's receiving (``uv_udp_recv_stop``) while ``n`` datagrams wait
    unread, and starts it again (``uv_udp_recv_start``) once fewer than half
    of ``n`` (or ``low_water_mark``) wait: a slow consumer leaves datagrams in
    the kernel's buffer, and Python's memory stays flat.  Other emitters with
    ``pause()``/``resume()`` are paused as Node's ``events.on`` does (above
    ``high_water_mark``, resumed below ``low_water_mark``, default 1).
    """
    return _on(emitter, name, signal=signal, high_water_mark=high_water_mark,
               low_water_mark=low_water_mark, close=close)
