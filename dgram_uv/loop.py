"""Node's event loop on libuv's default loop: run, next ticks, timers, immediates.

Node's rules, as SPEC.md states them:

* ``run()`` drains the next-tick queue, then runs ``uv_run(UV_RUN_DEFAULT)``
  until no referenced handle or request is left.
* After every callback libuv makes into Python (``make_callback``), the
  next-tick queue is drained before control returns to libuv, as Node's
  ``InternalCallbackScope`` does.
* Timers live in libuv's timer phase: like Node, all of them share one
  ``uv_timer_t`` that is armed for the earliest expiry and referenced only while
  a referenced timer exists.  Immediates run in libuv's check phase from a
  ``uv_check_t``; a ``uv_idle_t`` is active while referenced immediates are
  pending, so the poll phase does not block (Node's immediate idle handle).
* An exception that escapes a callback stops the loop (``uv_stop``) and
  ``run()`` re-raises it; a later ``run()`` continues with the loop intact.
"""

from __future__ import annotations

import heapq
import itertools
import math
from collections import deque
from collections.abc import Callable
from typing import Any

import pyuv

from . import validators

__all__ = [
    'run', 'next_tick', 'set_timeout', 'set_interval', 'set_immediate', 'clear_timeout',
    'clear_interval', 'clear_immediate', 'Timeout', 'Immediate', 'make_callback',
    'process_ticks', 'get_loop',
]

TIMEOUT_MAX = 2 ** 31 - 1

_loop: pyuv.Loop = pyuv.Loop.default_loop()
_tick_queue: deque[tuple[Callable[..., Any], tuple[Any, ...]]] = deque()
_uncaught: list[BaseException] = []
_running = False


def get_loop() -> pyuv.Loop:
    """The process's one uv loop (pyuv's default loop)."""
    return _loop


# --- next ticks and callbacks from libuv -------------------------------------------

def next_tick(callback: Callable[..., Any], *args: Any) -> None:
    """Node's ``process.nextTick(callback, ...args)``."""
    validators.validate_function(callback, 'callback')
    _tick_queue.append((callback, args))


def process_ticks() -> None:
    """Run next ticks until the queue is empty (ticks queued meanwhile included).

    An exception leaves the ticks after the failing one queued, as Node would
    have them if it had survived.
    """
    queue = _tick_queue
    while queue:
        callback, args = queue.popleft()
        callback(*args)


def make_callback(callback: Callable[..., Any], *args: Any) -> None:
    """Node's ``MakeCallback``: call into Python from libuv, then drain the ticks."""
    callback(*args)
    if _tick_queue:
        process_ticks()


def _on_uncaught(exc_type: type[BaseException], exc: BaseException, tb: Any) -> None:
    # pyuv calls loop.excepthook when a callback raises: Node's process would
    # die here, so the loop stops and run() re-raises.
    _uncaught.append(exc.with_traceback(tb))
    _loop.stop()


_loop.excepthook = _on_uncaught


def run() -> None:
    """Drain next ticks, then run the loop until nothing referenced is left.

    Re-raises the first exception that escaped a callback; the loop stays
    intact, so a later ``run()`` goes on where this one stopped.
    """
    global _running
    if _running:
        raise RuntimeError('dgram_uv.run() is already running')
    _running = True
    try:
        process_ticks()
        _loop.run(pyuv.UV_RUN_DEFAULT)
        # A tick can be queued outside any callback libuv made (e.g. by
        # code that ran between a stop and this point): drain it like Node.
        if not _uncaught:
            process_ticks()
    finally:
        _running = False
    if _uncaught:
        first = _uncaught[0]
        _uncaught.clear()
        raise first


# --- timers -------------------------------------------------------------------

_timer_handle = pyuv.Timer(_loop)
_timer_heap: list[tuple[float, int, Timeout]] = []
_timer_seq = itertools.count()
_timer_refs = 0
_armed_expiry = math.inf


def _coerce_delay(delay: object) -> float:
    # Node: `after *= 1; if (!(after >= 1 && after <= TIMEOUT_MAX)) after = 1`.
    try:
        after = validators.to_number(delay) if not isinstance(delay, bool) else float(delay)
    except (TypeError, ValueError):
        after = math.nan
    return after if 1 <= after <= TIMEOUT_MAX else 1.0


class Timeout:
    """Node's Timeout: what ``set_timeout``/``set_interval`` return."""

    def __init__(self, callback: Callable[..., Any], delay: object, args: tuple[Any, ...],
                 repeat: bool) -> None:
        self._on_timeout = callback
        self._args = args
        self._idle_timeout = _coerce_delay(delay)
        self._repeat: float | None = self._idle_timeout if repeat else None
        self._seq = -1          # the heap entry that is current; older ones are stale
        self._destroyed = False
        self._has_ref = True
        _ref_timer(1)
        self._insert()

    def _insert(self) -> None:
        global _armed_expiry
        self._seq = next(_timer_seq)
        expiry = _loop.now() + self._idle_timeout
        heapq.heappush(_timer_heap, (expiry, self._seq, self))
        if expiry < _armed_expiry:
            _arm()

    def ref(self) -> Timeout:
        if not self._has_ref:
            self._has_ref = True
            if not self._destroyed:
                _ref_timer(1)
        return self

    def unref(self) -> Timeout:
        if self._has_ref:
            self._has_ref = False
            if not self._destroyed:
                _ref_timer(-1)
        return self

    def has_ref(self) -> bool:
        return self._has_ref

    def refresh(self) -> Timeout:
        """Restart the timer from now with the same delay (Node's ``refresh``)."""
        if not self._destroyed:
            self._insert()
        return self

    def close(self) -> Timeout:
        clear_timeout(self)
        return self

    def _destroy(self) -> None:
        if not self._destroyed:
            self._destroyed = True
            self._seq = -1
            if self._has_ref:
                _ref_timer(-1)

    hasRef = has_ref


def _ref_timer(delta: int) -> None:
    global _timer_refs
    _timer_refs += delta
    _timer_handle.ref = _timer_refs > 0


def _arm() -> None:
    """Start the shared uv timer for the earliest live timer (or stop it)."""
    global _armed_expiry
    heap = _timer_heap
    while heap and heap[0][2]._seq != heap[0][1]:
        heapq.heappop(heap)
    if not heap:
        _armed_expiry = math.inf
        _timer_handle.stop()
        return
    _armed_expiry = heap[0][0]
    _timer_handle.start(_process_timers, max(0.0, _armed_expiry - _loop.now()) / 1000.0, 0.0)
    _timer_handle.ref = _timer_refs > 0


def _process_timers(handle: pyuv.Timer) -> None:
    # Node's processTimers/listOnTimeout: every timer due at the loop's cached
    # time runs in expiry order; next ticks are drained after each.
    global _armed_expiry
    _armed_expiry = math.inf
    now = _loop.now()
    heap = _timer_heap
    try:
        while heap and heap[0][0] <= now:
            _, seq, timer = heapq.heappop(heap)
            if timer._seq != seq:
                continue
            if timer._repeat is not None:
                timer._insert()
            else:
                timer._destroy()
            timer._on_timeout(*timer._args)
            if _tick_queue:
                process_ticks()
    finally:
        _arm()


def set_timeout(callback: Callable[..., Any], delay: object = 1, *args: Any) -> Timeout:
    """Node's ``setTimeout(callback, delay, ...args)``; delay in milliseconds."""
    validators.validate_function(callback, 'callback')
    return Timeout(callback, delay, args, repeat=False)


def set_interval(callback: Callable[..., Any], delay: object = 1, *args: Any) -> Timeout:
    """Node's ``setInterval(callback, delay, ...args)``."""
    validators.validate_function(callback, 'callback')
    return Timeout(callback, delay, args, repeat=True)


def clear_timeout(timer: object) -> None:
    """Node's ``clearTimeout``: anything that is not a live Timeout is ignored."""
    if isinstance(timer, Timeout):
        timer._destroy()


clear_interval = clear_timeout


# --- immediates ---------------------------------------------------------------

_check_handle = pyuv.Check(_loop)
_idle_handle = pyuv.Idle(_loop)
_immediates: list[Immediate] = []
_immediate_refs = 0


class Immediate:
    """Node's Immediate: what ``set_immediate`` returns."""

    def __init__(self, callback: Callable[..., Any], args: tuple[Any, ...]) -> None:
        self._on_immediate = callback
        self._args = args
        self._destroyed = False
        self._has_ref = True
        _ref_immediate(1)
        if not _immediates:
            _check_handle.start(_process_immediates)
        _immediates.append(self)

    def ref(self) -> Immediate:
        if not self._has_ref:
            self._has_ref = True
            if not self._destroyed:
                _ref_immediate(1)
        return self

    def unref(self) -> Immediate:
        if self._has_ref:
            self._has_ref = False
            if not self._destroyed:
                _ref_immediate(-1)
        return self

    def has_ref(self) -> bool:
        return self._has_ref

    def _destroy(self) -> None:
        if not self._destroyed:
            self._destroyed = True
            if self._has_ref:
                _ref_immediate(-1)

    hasRef = has_ref


def _ref_immediate(delta: int) -> None:
    global _immediate_refs
    before = _immediate_refs
    _immediate_refs += delta
    if before == 0 and _immediate_refs > 0:
        _idle_handle.start(_noop_idle)
    elif before > 0 and _immediate_refs == 0:
        _idle_handle.stop()


def _noop_idle(handle: pyuv.Idle) -> None:
    pass


def _process_immediates(handle: pyuv.Check) -> None:
    # Immediates queued while these run wait for the next loop iteration.
    global _immediates
    batch, _immediates = _immediates, []
    index = 0
    try:
        while index < len(batch):
            immediate = batch[index]
            index += 1
            if immediate._destroyed:
                continue
            immediate._destroy()
            immediate._on_immediate(*immediate._args)
            if _tick_queue:
                process_ticks()
    finally:
        # After an exception, the rest run in the next iteration, as in Node.
        _immediates = batch[index:] + _immediates
        if not _immediates:
            _check_handle.stop()


def set_immediate(callback: Callable[..., Any], *args: Any) -> Immediate:
    """Node's ``setImmediate(callback, ...args)``: runs in the check phase."""
    validators.validate_function(callback, 'callback')
    return Immediate(callback, args)


def clear_immediate(immediate: object) -> None:
    """Node's ``clearImmediate``."""
    if isinstance(immediate, Immediate):
        immediate._destroy()
