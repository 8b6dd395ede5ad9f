"""Node's timers and immediates on the uv loop (lib/internal/timers.js).

* Timers live in libuv's timer phase: like Node, all of them share one
  ``uv_timer_t`` that is armed for the earliest expiry and referenced only while
  a referenced timer exists.
* Immediates run in libuv's check phase from a ``uv_check_t``; a ``uv_idle_t``
  is active while referenced immediates are pending, so the poll phase does not
  block (Node's immediate idle handle).
* After an exception stopped ``run()``, the next ``run()`` first finishes the
  interrupted timer or immediate phase (``_resume``, a hook of ``loop.run``).

Delays are milliseconds, already converted to a number by the caller (the
public ``dgram_uv.timers`` validates and coerces as Node's lib/timers.js).
"""

from __future__ import annotations

import heapq
import itertools
import math
from collections import OrderedDict
from collections.abc import Callable
from threading import get_ident as _get_ident
from typing import Any

import pyuv

from . import loop
from .loop import _loop, _tick_queue, _uncaught, process_ticks

__all__ = ['Timeout', 'Immediate', 'clear_timeout', 'clear_immediate', 'TIMEOUT_MAX']

TIMEOUT_MAX = 2 ** 31 - 1
_INF = math.inf


# --- timers -------------------------------------------------------------------
#
# Node's lib/internal/timers.js: one list per (truncated) duration holds its
# timers in insertion order; the lists sit in a priority queue ordered by
# (expiry, id).  Timers due at the same time therefore run list by list, as in
# Node, not strictly by their own expiry.

_timer_handle = pyuv.Timer(_loop)
_timer_lists: dict[int, _TimersList] = {}            # Node's timerListMap
_list_queue: list[tuple[float, int, _TimersList]] = []  # Node's timerListQueue (lazy heap)
_list_ids = itertools.count()
_timer_refs = 0
_armed_expiry = math.inf
_timers_interrupted = False


# uv_update_time and uv_now, bound once (a method lookup on the loop object
# is not cached by the interpreter).
_update_time = _loop.update_time
_uv_now = _loop.now


def _now() -> float:
    """Node's ``getLibuvNow()``: libuv's clock, updated first (``uv_update_time``)."""
    _update_time()
    return _uv_now()


class _TimersList:
    """Node's TimersList: the timers of one duration, in insertion order."""

    __slots__ = ('expiry', 'id', 'msecs', 'timers')

    def __init__(self, expiry: float, msecs: int) -> None:
        self.expiry = expiry
        self.id = next(_list_ids)
        self.msecs = msecs
        # An ordered set, Node's linked list: OrderedDict keeps taking the first
        # timer O(1) however many were removed before it (a dict does not).
        self.timers: OrderedDict[Timeout, None] = OrderedDict()

    def push(self) -> None:
        heapq.heappush(_list_queue, (self.expiry, self.id, self))


class Timeout:
    """Node's Timeout: what ``set_timeout``/``set_interval`` return."""

    # Slots for speed (one per set_timeout); __dict__ keeps it open to the
    # attributes a JS object would take, __weakref__ to weak references.
    __slots__ = ('_on_timeout', '_args', '_idle_timeout', '_repeat', '_idle_start', '_list',
                 '_destroyed', '_has_ref', '__dict__', '__weakref__')

    def __init__(self, callback: Callable[..., Any], delay: float, args: tuple[Any, ...],
                 repeat: bool) -> None:
        global _timer_refs
        if loop._owner and (loop._outside or loop._owner != _get_ident()):
            loop.guard()     # the check of _insert and _ref_timer, which are inlined here
        # `delay`: milliseconds; Node's `after` outside [1, TIMEOUT_MAX] (NaN too) is 1.
        self._on_timeout: Callable[..., Any] | None = callback   # None once cleared
        self._args = args
        # -1 once cleared
        idle_timeout = self._idle_timeout = float(delay) if 1 <= delay <= TIMEOUT_MAX else 1.0
        self._repeat: float | None = idle_timeout if repeat else None
        self._destroyed = False
        self._has_ref = True
        _timer_refs += 1
        if _timer_refs == 1:
            _timer_handle.ref = True
        # Node's insert() for a new timer, inlined (one per set_timeout).
        msecs = int(idle_timeout)
        _update_time()
        start: float = _uv_now()
        self._idle_start = start
        lst = _timer_lists.get(msecs)
        if lst is None:
            lst = _timer_lists[msecs] = _TimersList(start + msecs, msecs)
            lst.push()
            if lst.expiry < _armed_expiry:
                _arm()
        lst.timers[self] = None
        self._list: _TimersList | None = lst

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
        """Restart the timer from now with the same delay (Node's ``refresh``).

        Like Node, this reactivates a timer whose callback already ran; it does
        nothing to a cleared one.
        """
        if self._idle_timeout < 0:
            return self
        _insert(self)
        if self._destroyed:
            self._destroyed = False
            if self._has_ref:
                _ref_timer(1)
        return self

    def close(self) -> Timeout:
        clear_timeout(self)
        return self

    hasRef = has_ref


def _insert(timer: Timeout, start: float | None = None) -> None:
    """Node's ``insert``: append the timer to its duration's list (moving it there)."""
    loop.guard()
    msecs = math.trunc(timer._idle_timeout)
    timer._idle_start = _now() if start is None else start
    if timer._list is not None:
        del timer._list.timers[timer]
    lst = _timer_lists.get(msecs)
    if lst is None:
        lst = _timer_lists[msecs] = _TimersList(timer._idle_start + msecs, msecs)
        lst.push()
        if lst.expiry < _armed_expiry:
            _arm()
    lst.timers[timer] = None
    timer._list = lst


def _unenroll(timer: Timeout) -> None:
    """Node's ``unenroll`` (what ``clearTimeout`` does)."""
    if timer._destroyed:
        return
    timer._destroyed = True
    if timer._list is not None:
        del timer._list.timers[timer]
        timer._list = None
    if timer._has_ref:
        msecs = math.trunc(timer._idle_timeout)
        lst = _timer_lists.get(msecs)
        if lst is not None and not lst.timers:
            del _timer_lists[msecs]
            _compact_queue()
        _ref_timer(-1)
    timer._idle_timeout = -1


def _compact_queue() -> None:
    # Node removes a dropped list from its priority queue at once (removeAt);
    # this heap drops stale entries lazily at its head, so entries of lists
    # cleared before they were due are swept here once they outnumber the live
    # lists: the heap stays O(live lists), in amortised O(1) per clear.
    if len(_list_queue) > 2 * len(_timer_lists) + 64:
        _list_queue[:] = [(lst.expiry, lst.id, lst) for lst in _timer_lists.values()]
        heapq.heapify(_list_queue)


def _ref_timer(delta: int) -> None:
    # The shared handle is referenced while a referenced timer exists: its
    # ref flag changes only when the count crosses zero.
    global _timer_refs
    loop.guard()
    before = _timer_refs
    _timer_refs += delta
    if (before > 0) != (_timer_refs > 0):
        _timer_handle.ref = _timer_refs > 0


def _peek_list() -> _TimersList | None:
    """The list at the head of the queue, dropping stale queue entries."""
    queue = _list_queue
    while queue:
        _, list_id, lst = queue[0]
        if lst.id == list_id and _timer_lists.get(lst.msecs) is lst:
            return lst
        heapq.heappop(queue)
    return None


def _arm() -> None:
    """Start the shared uv timer for the earliest list (or stop it)."""
    global _armed_expiry
    lst = _peek_list()
    if lst is None:
        _armed_expiry = math.inf
        _timer_handle.stop()
        return
    _armed_expiry = lst.expiry
    # Node's RunTimers: at least 1 ms (a uv timer restarted at 0 from its own
    # callback would run again at once).  pyuv truncates seconds * 1000 to
    # whole milliseconds: the half millisecond keeps a float error from losing one.
    duration = max(1.0, lst.expiry - _uv_now())
    _timer_handle.start(_process_timers, (duration + 0.5) / 1000.0, 0.0)
    _timer_handle.ref = _timer_refs > 0


# libuv 1.44 runs due timers at the start of every uv_run(UV_RUN_ONCE) as well
# as after its poll; Node's libuv 1.49 runs them only after the poll (but for
# the first iteration).  Between iterations the shared timer is parked far in
# the future (it stays active, so it still keeps the loop alive if referenced)
# and a uv_prepare_t, just before the poll, arms it for the earliest list.
_PARKED = 86400.0
_prepare_handle = pyuv.Prepare(_loop)


def _park_timer() -> None:
    # Only a timer due within the next couple of milliseconds could fire in
    # that early pass; parking costs four libuv calls, so later ones stay armed.
    global _armed_expiry
    if _armed_expiry != _INF and _armed_expiry - _uv_now() <= 2:
        _armed_expiry = math.inf
        _timer_handle.start(_process_timers, _PARKED, 0.0)
        _timer_handle.ref = _timer_refs > 0
        _prepare_handle.start(_unpark_timer)
        _prepare_handle.ref = False


def _unpark_timer(handle: pyuv.Prepare) -> None:
    handle.stop()
    if _armed_expiry == math.inf:
        _arm()


def _process_timers(handle: pyuv.Timer | None) -> None:
    # Node's processTimers: every list due at `now` runs, in (expiry, id)
    # order; next ticks are drained after each timer.  After an exception the
    # next run() finishes the due timers first (Node's RunTimers loop).
    global _armed_expiry, _timers_interrupted
    _armed_expiry = math.inf
    now = _now()
    try:
        while not _uncaught and (lst := _peek_list()) is not None and lst.expiry <= now:
            _list_on_timeout(lst, now)
    except BaseException:
        _timers_interrupted = True
        raise
    finally:
        _arm()


def _list_on_timeout(lst: _TimersList, now: float) -> None:
    # Node's listOnTimeout.
    global _timer_refs
    msecs = lst.msecs
    timers = lst.timers
    popitem = timers.popitem
    # `while True`, not `while timers`: CPython 3.11 warms a function up for
    # specialisation on backward jumps of `while True` (and calls), not on the
    # conditional one of `while timers`, and this runs once for many timers.
    while True:
        if not timers:
            break
        timer = popitem(False)[0]
        if now - timer._idle_start < msecs:
            # The rest of this list is due later: put the timer back first and
            # requeue the list.
            timers[timer] = None
            timers.move_to_end(timer, False)
            lst.expiry = max(timer._idle_start + msecs, now + 1)
            lst.id = next(_list_ids)
            lst.push()
            return
        timer._list = None
        callback = timer._on_timeout
        if callback is None:          # cleared after it ran, then refreshed
            if not timer._destroyed:
                timer._destroyed = True
                if timer._has_ref:
                    _ref_timer(-1)
            continue
        if timer._repeat is None:
            try:
                callback(*timer._args)
            finally:
                if timer._list is None and not timer._destroyed:
                    timer._destroyed = True
                    if timer._has_ref:
                        _timer_refs -= 1     # _ref_timer(-1), inlined
                        if not _timer_refs:
                            _timer_handle.ref = False
        else:
            start = _now()
            try:
                callback(*timer._args)
            finally:
                if timer._idle_timeout != -1:
                    timer._idle_timeout = timer._repeat
                    _insert(timer, start)
                elif timer._list is None and not timer._destroyed:
                    timer._destroyed = True
                    if timer._has_ref:
                        _ref_timer(-1)
        if _tick_queue:
            process_ticks()
    if _timer_lists.get(msecs) is lst:
        del _timer_lists[msecs]


def clear_timeout(timer: object) -> None:
    """Node's ``clearTimeout``: anything that is not a live Timeout is ignored."""
    if isinstance(timer, Timeout) and timer._on_timeout is not None:
        loop.guard()
        timer._on_timeout = None
        _unenroll(timer)


# --- immediates ---------------------------------------------------------------

_check_handle = pyuv.Check(_loop)
_check_handle.ref = False   # Node unrefs it: only the idle handle keeps the loop alive
_idle_handle = pyuv.Idle(_loop)
_immediates: list[Immediate] = []
_outstanding: list[Immediate] = []
_immediate_refs = 0
# Whether the check and idle handles are started: each is started when work
# appears and stopped only at the end of a check phase that leaves none, so a
# chain of immediates (one queued from the last) starts and stops nothing.
_check_active = False
_idle_active = False


class Immediate:
    """Node's Immediate: what ``set_immediate`` returns."""

    __slots__ = ('_on_immediate', '_args', '_destroyed', '_has_ref', '__dict__', '__weakref__')

    def __init__(self, callback: Callable[..., Any], args: tuple[Any, ...]) -> None:
        global _immediate_refs, _idle_active, _check_active
        if loop._owner and (loop._outside or loop._owner != _get_ident()):
            loop.guard()     # loop.guard(), inlined (one per set_immediate)
        self._on_immediate = callback
        self._args = args
        self._destroyed = False
        self._has_ref = True
        _immediate_refs += 1
        if not _idle_active:
            _idle_handle.start(_noop_idle)
            _idle_active = True
        if not _check_active:
            _check_handle.start(_process_immediates)
            _check_active = True
        _immediates.append(self)

    def ref(self) -> Immediate:
        # Node: once run or cleared (kRefed = null) ref/unref do nothing.
        if not self._has_ref and not self._destroyed:
            self._has_ref = True
            _ref_immediate(1)
        return self

    def unref(self) -> Immediate:
        if self._has_ref and not self._destroyed:
            self._has_ref = False
            _ref_immediate(-1)
        return self

    def has_ref(self) -> bool:
        return self._has_ref

    def _destroy(self) -> None:
        if not self._destroyed:
            self._destroyed = True
            if self._has_ref:
                _ref_immediate(-1)
            self._has_ref = False

    hasRef = has_ref


def _ref_immediate(delta: int) -> None:
    global _immediate_refs, _idle_active
    loop.guard()
    _immediate_refs += delta
    if _immediate_refs > 0 and not _idle_active:
        _idle_handle.start(_noop_idle)
        _idle_active = True
    elif _immediate_refs == 0 and _idle_active:
        _idle_handle.stop()
        _idle_active = False


def _noop_idle(handle: pyuv.Idle) -> None:
    pass


def _process_immediates(handle: pyuv.Check | None) -> None:
    # Node's processImmediate: immediates queued while these run wait for the
    # next loop iteration.  The rest of a batch that an exception interrupted
    # is Node's outstanding queue: the next run() finishes it first.
    global _immediates, _outstanding, _immediate_refs, _idle_active, _check_active
    if _uncaught:       # the loop is stopping: they wait for the next run()
        return
    if _outstanding:
        batch, _outstanding = _outstanding, []
    else:
        batch, _immediates = _immediates, []
    index = 0
    try:
        for immediate in batch:
            index += 1
            if immediate._destroyed:
                continue
            # immediate._destroy(), inlined; the idle handle is stopped (if no
            # referenced immediate is left) once the batch is done.
            immediate._destroyed = True
            if immediate._has_ref:
                immediate._has_ref = False
                _immediate_refs -= 1
            immediate._on_immediate(*immediate._args)
            if _tick_queue:
                process_ticks()
    finally:
        _outstanding = batch[index:] if index < len(batch) else []
        if not _immediate_refs and _idle_active:
            _idle_handle.stop()
            _idle_active = False
        if not _immediates and not _outstanding:
            _check_handle.stop()
            _check_active = False


def clear_immediate(immediate: object) -> None:
    """Node's ``clearImmediate``."""
    if isinstance(immediate, Immediate):
        immediate._destroy()


def _resume() -> None:
    # After an exception stopped run(): the rest of the interrupted phase first.
    global _timers_interrupted
    if _timers_interrupted:
        _timers_interrupted = False
        _process_timers(None)
    if _outstanding:
        _process_immediates(None)


loop.set_phase_hooks(_resume, _park_timer)
loop.count_alive('timer', lambda: _timer_refs)
loop.count_alive('immediate', lambda: _immediate_refs)
