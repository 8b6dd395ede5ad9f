"""Node's ``events.once`` and ``events.on`` (lib/events.js) for asyncio.

``once`` registers its listeners when called, as Node's promise executor
does, and returns an asyncio future; ``on`` returns an async iterator whose
listeners stay until the iteration ends (``break``, ``aclose()``, an error,
an abort, or one of the ``close`` events).  Both work with an EventEmitter
(``'error'`` rejects) and with an EventTarget (an AbortSignal ...).

Backpressure: ``on(emitter, name, high_water_mark=n)`` pauses an emitter
that has ``pause()``/``resume()`` as Node's does; for a dgram Socket's
``'message'`` it stops receiving (``uv_udp_recv_stop``) while ``n`` datagrams
wait unread and starts again (``uv_udp_recv_start``) once fewer than half of
``n`` wait.  Meanwhile datagrams wait in the kernel's receive buffer (and are
dropped by the kernel when it is full), not in Python.
"""

from __future__ import annotations

import asyncio
import weakref
from collections import deque
from collections.abc import Callable, Hashable, Iterable, Mapping
from typing import Any

from . import errors, validators
from .dgram import is_socket, pause_receiving, resume_receiving
from .event_target import ThrownValue

__all__ = ['once', 'on', 'EventIterator']

_MAX_SAFE_INTEGER = 2 ** 53 - 1
_DONE: Any = object()     # what a waiter gets when the iteration ends


def _add(emitter: Any, name: Hashable, listener: Callable[..., None], once: bool) -> None:
    # Node's eventTargetAgnosticAddListener.
    if callable(getattr(emitter, 'on', None)):
        (emitter.once if once else emitter.on)(name, listener)
    elif callable(getattr(emitter, 'add_event_listener', None)):
        emitter.add_event_listener(name, listener, {'once': True} if once else None)
    else:
        raise errors.ERR_INVALID_ARG_TYPE('emitter', 'EventEmitter', emitter)


def _remove(emitter: Any, name: Hashable, listener: Callable[..., None]) -> None:
    # Node's eventTargetAgnosticRemoveListener.
    if callable(getattr(emitter, 'remove_listener', None)):
        emitter.remove_listener(name, listener)
    elif callable(getattr(emitter, 'remove_event_listener', None)):
        emitter.remove_event_listener(name, listener)
    else:
        raise errors.ERR_INVALID_ARG_TYPE('emitter', 'EventEmitter', emitter)


def _aborted(signal: Any) -> bool:
    return bool(signal['aborted'] if isinstance(signal, Mapping) else signal.aborted)


def _abort_error(signal: Any) -> errors.AbortError:
    reason = signal.get('reason') if isinstance(signal, Mapping) else \
        getattr(signal, 'reason', None)
    return errors.AbortError(cause=reason)


def _as_exception(err: object) -> BaseException:
    # JS rejects with any value; an asyncio future fails with an exception.
    return err if isinstance(err, BaseException) else ThrownValue(err)


def _is_emitter(emitter: Any) -> bool:
    return callable(getattr(emitter, 'remove_listener', None))


class _OnceFuture(asyncio.Future[tuple[Any, ...]]):
    """``once``'s future: cancelling it removes the listeners at once."""

    _cleanup: Callable[[], None] | None = None

    def cancel(self, msg: Any | None = None) -> bool:
        cleanup, self._cleanup = self._cleanup, None
        if cleanup is not None and not self.done():
            cleanup()
        return super().cancel(msg=msg)


def once(emitter: Any, name: Hashable, *, signal: Any = None) -> asyncio.Future[tuple[Any, ...]]:
    """Node's ``events.once(emitter, name, {signal})`` (see ``dgram_uv.aio.once``)."""
    if signal is not None:   # a Python keyword left at None is JS's absent option
        validators.validate_abort_signal(signal, 'options.signal')
    future = _OnceFuture(loop=asyncio.get_running_loop())
    if signal is not None and _aborted(signal):
        future.set_exception(_abort_error(signal))
        return future
    watch_error = name != 'error' and callable(getattr(emitter, 'once', None))

    def remove_all() -> None:
        _remove(emitter, name, resolver)
        if watch_error:
            _remove(emitter, 'error', error_listener)
        if signal is not None:
            _remove(signal, 'abort', abort_listener)

    def error_listener(err: object) -> None:
        remove_all()
        if not future.done():
            future.set_exception(_as_exception(err))

    def resolver(*args: Any) -> None:
        remove_all()
        if not future.done():
            future.set_result(args)

    def abort_listener(*_: Any) -> None:
        remove_all()
        if not future.done():
            future.set_exception(_abort_error(signal))

    _add(emitter, name, resolver, True)
    if watch_error:
        emitter.once('error', error_listener)
    if signal is not None:
        _add(signal, 'abort', abort_listener, True)
    future._cleanup = remove_all
    return future


# --- on --------------------------------------------------------------------------------

class _Pauser:
    """Pauses receiving on a dgram Socket while any iterator over it asks to."""

    _counts: weakref.WeakKeyDictionary[Any, int] = weakref.WeakKeyDictionary()

    def __init__(self, socket: Any) -> None:
        self.socket = socket

    def pause(self) -> None:
        count = self._counts.get(self.socket, 0)
        self._counts[self.socket] = count + 1
        if count == 0:
            pause_receiving(self.socket)

    def resume(self) -> None:
        count = self._counts.get(self.socket, 0) - 1
        if count > 0:
            self._counts[self.socket] = count
            return
        self._counts.pop(self.socket, None)
        resume_receiving(self.socket)


class _OnState:
    """Node's ``on`` closure: the unread events, the waiting readers, the error."""

    def __init__(self, high: int, low: int, socket: bool,
                 pause: Callable[[], None] | None, resume: Callable[[], None] | None) -> None:
        self.events: deque[tuple[Any, ...]] = deque()
        self.waiters: deque[asyncio.Future[Any]] = deque()
        self.error: BaseException | None = None
        self.finished = False
        self.paused = False
        self.high = high
        self.low = low
        # Node pauses above the high-water mark, a socket already at it; Node
        # leaves an emitter paused when the iteration ends, not a socket.
        self.pause_size = high if socket else high + 1
        self.resume_at_end = socket
        self._pause = pause
        self._resume = resume
        self.listeners: list[tuple[Any, Hashable, Callable[..., None]]] = []

    def listen(self, target: Any, name: Hashable, listener: Callable[..., None]) -> None:
        _add(target, name, listener, False)
        self.listeners.append((target, name, listener))

    def on_event(self, *args: Any) -> None:
        waiters = self.waiters
        while waiters:
            waiter = waiters.popleft()
            if not waiter.done():
                waiter.set_result(args)
                return
        events = self.events
        events.append(args)
        if not self.paused and len(events) >= self.pause_size and self._pause is not None:
            self.paused = True
            self._pause()

    def on_error(self, err: object) -> None:
        exc = _as_exception(err)
        while self.waiters:
            waiter = self.waiters.popleft()
            if not waiter.done():
                waiter.set_exception(exc)
                break
        else:
            self.error = exc
        self.close()

    signal: Any = None

    def on_abort(self, *_: Any) -> None:
        self.on_error(_abort_error(self.signal))

    def close(self, *_: Any) -> None:
        """Node's ``closeHandler``: remove the listeners; waiting readers get the end."""
        if self.finished:
            return
        self.finished = True
        listeners, self.listeners = self.listeners, []
        for target, name, listener in reversed(listeners):
            _remove(target, name, listener)
        while self.waiters:
            waiter = self.waiters.popleft()
            if not waiter.done():
                waiter.set_result(_DONE)
        if self.paused and self.resume_at_end and self._resume is not None:
            self.paused = False
            self._resume()

    async def next(self) -> tuple[Any, ...]:
        events = self.events
        if events:
            value = events.popleft()
            if self.paused and len(events) < self.low and self._resume is not None:
                self.paused = False
                self._resume()
            return value
        if self.error is not None:
            err, self.error = self.error, None
            raise err
        if self.finished:
            raise StopAsyncIteration
        waiter = asyncio.get_running_loop().create_future()
        self.waiters.append(waiter)
        try:
            value = await waiter
        except asyncio.CancelledError:
            # Cancelled after an event was handed over: keep it for the next read.
            if waiter.cancelled():
                try:
                    self.waiters.remove(waiter)
                except ValueError:
                    pass
            elif waiter.exception() is not None:
                self.error = waiter.exception()
            elif waiter.result() is not _DONE:
                events.appendleft(waiter.result())
            raise
        if value is _DONE:
            raise StopAsyncIteration
        result: tuple[Any, ...] = value
        return result


class EventIterator:
    """What ``aio.on`` returns: an async iterator of the events' argument tuples.

    Dropping it (``break`` out of ``async for``) or ``await it.aclose()``
    removes its listeners.  ``size`` is the number of unread events, ``paused``
    whether it paused its emitter (the high-water mark).
    """

    def __init__(self, state: _OnState) -> None:
        self._state = state
        # The listeners hold the state, not the iterator: once the iterator is
        # dropped, the finalizer removes them.
        finalizer = weakref.finalize(self, state.close)
        finalizer.atexit = False

    def __aiter__(self) -> EventIterator:
        return self

    async def __anext__(self) -> tuple[Any, ...]:
        return await self._state.next()

    async def aclose(self) -> None:
        """Stop iterating (Node's ``iterator.return()``): the listeners go."""
        self._state.close()

    @property
    def size(self) -> int:
        return len(self._state.events)

    @property
    def paused(self) -> bool:
        return self._state.paused


def on(emitter: Any, name: Hashable, *, signal: Any = None, high_water_mark: int | None = None,
       low_water_mark: int | None = None, close: Iterable[Hashable] = ()) -> EventIterator:
    """Node's ``events.on(emitter, name, options)`` (see ``dgram_uv.aio.on``)."""
    if signal is not None:   # a Python keyword left at None is JS's absent option
        validators.validate_abort_signal(signal, 'options.signal')
    if signal is not None and _aborted(signal):
        raise _abort_error(signal)
    socket = is_socket(emitter) and name == 'message'
    high = _MAX_SAFE_INTEGER if high_water_mark is None else \
        validators.validate_integer(high_water_mark, 'options.highWaterMark', 1)
    if low_water_mark is not None:
        low = validators.validate_integer(low_water_mark, 'options.lowWaterMark', 1)
    else:
        low = max(1, (high + 1) // 2) if socket else 1
    pause: Callable[[], None] | None = None
    resume: Callable[[], None] | None = None
    if socket:
        pauser = _Pauser(emitter)
        pause, resume = pauser.pause, pauser.resume
    elif callable(getattr(emitter, 'pause', None)) and callable(getattr(emitter, 'resume', None)):
        pause, resume = emitter.pause, emitter.resume
    state = _OnState(high, low, socket, pause, resume)
    state.listen(emitter, name, state.on_event)
    if name != 'error' and callable(getattr(emitter, 'on', None)):
        state.listen(emitter, 'error', state.on_error)
    for close_name in close:
        state.listen(emitter, close_name, state.close)
    if signal is not None:
        state.signal = signal
        state.listen(signal, 'abort', state.on_abort)
    return EventIterator(state)
