"""Node's event loop on libuv's default loop: run and the next-tick queue.

Node's rules:

* ``run()`` drains the next-tick queue, then runs the loop, one
  ``uv_run(UV_RUN_ONCE)`` per iteration, until no referenced handle or request
  is left.  Ctrl-C (SIGINT) wakes a waiting ``run()`` through a ``uv_signal_t``
  and raises ``KeyboardInterrupt`` from it.
* After every callback libuv makes into Python (``make_callback``), the
  next-tick queue is drained before control returns to libuv, as Node's
  ``InternalCallbackScope`` does.
* Timers and immediates (``timers``) run in libuv's timer and check phases;
  they hook into ``run()`` through ``set_phase_hooks``.
* An exception that escapes a callback stops the loop (``uv_stop``) and
  ``run()`` re-raises it; no other callback runs before it returns.  A later
  ``run()`` continues with the loop intact: first the rest of the interrupted
  timer or immediate phase, then the calls libuv made meanwhile.

Embedding (``dgram_uv.aio``) and threads:

* ``run_nowait()`` is one pass of the loop that never blocks
  (``uv_run(UV_RUN_NOWAIT)``), with ``run()``'s rules; an asyncio loop drives
  the uv loop with it (``attach_driver``).  Passes in a row iterate in Node's
  order: timers, poll, check, closing.
* libuv is not thread-safe: while ``run()`` runs or an asyncio loop drives the
  loop, only that thread may call into dgram_uv.  ``guard()``, at the entry
  points that create or change work on the loop, raises ``WrongThreadError``
  for any other thread; ``call_soon_threadsafe`` (a ``uv_async_t``) is the way
  in from other threads.
"""

from __future__ import annotations

import atexit
import contextlib
import signal
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterator
from threading import get_ident as _get_ident
from typing import Any

import pyuv

from . import fork

__all__ = ['run', 'next_tick', 'tick', 'make_callback', 'process_ticks', 'get_loop',
           'set_phase_hooks', 'run_nowait', 'guard', 'guard_io', 'call_soon_threadsafe',
           'attach_driver', 'detach_driver', 'keep_alive', 'io_started', 'alive', 'alive_summary',
           'WrongThreadError', 'count_alive', 'silence_exit_warning']

_loop: pyuv.Loop = pyuv.Loop.default_loop()
fork.install(_loop)   # an os.fork() child gets kernel state of its own (uv_loop_fork)
_tick_queue: deque[tuple[Callable[..., Any], tuple[Any, ...]]] = deque()
# tick((callback, args)): queue a next tick without next_tick's thread check
# and frame, for the library's ticks queued where the check was made already
# (the send path's: one per datagram).  Every tick goes through it, so
# DGRAM_UV_TRACE=ticks replaces it alone to show them.
tick: Callable[[tuple[Callable[..., Any], tuple[Any, ...]]], None] = _tick_queue.append
_uncaught: list[BaseException] = []
# Calls libuv made while an uncaught exception was stopping the loop: they
# wait for the next run() (Node's process would have died before them).
_deferred: deque[tuple[Callable[..., Any], tuple[Any, ...]]] = deque()
_running = False


def _nothing() -> None:
    pass


# Set by the timers module: finish the timer/immediate phase an exception
# interrupted, and what runs between two uv_run(UV_RUN_ONCE) iterations.
_resume_phases: Callable[[], None] = _nothing
_after_iteration: Callable[[], None] = _nothing


def set_phase_hooks(resume: Callable[[], None], after_iteration: Callable[[], None]) -> None:
    """Install the timers module's hooks into ``run()``."""
    global _resume_phases, _after_iteration
    _resume_phases, _after_iteration = resume, after_iteration


def get_loop() -> pyuv.Loop:
    """The process's one uv loop (pyuv's default loop)."""
    return _loop


# --- the driving thread ---------------------------------------------------------------
#
# _owner is the thread that drives the loop (run(), or the attached asyncio
# loop's thread), 0 when none does.  While an asyncio loop drives it, _outside
# is true between two passes while no pass is scheduled: the next guarded call
# (from asyncio code) has to wake the driver, since libuv only sees new work
# (a timer, an fd to watch, a close) in a pass.

_owner = 0
_owner_name = ''
_owner_role = ''
_outside = False
_attached = False
_wake: Callable[[], None] = _nothing
_driver_gone: Callable[[], bool] = bool       # e.g. its asyncio loop was closed
_io_started = False
_driven = False       # run() was called or an asyncio loop attached (the at-exit warning)


class WrongThreadError(RuntimeError):
    """A dgram_uv call from a thread that is not the one driving the loop."""


def _set_owner(role: str) -> None:
    global _owner, _owner_name, _owner_role, _driven
    _owner, _owner_name, _owner_role = _get_ident(), threading.current_thread().name, role
    _driven = True


def _wrong_thread() -> WrongThreadError:
    return WrongThreadError(
        f'dgram_uv was called from thread {threading.current_thread().name!r}, but its loop '
        f'runs in thread {_owner_name!r} ({_owner_role}); libuv is not thread-safe: use '
        'dgram_uv.call_soon_threadsafe(fn, *args) to run fn on the loop\'s thread')


def _guarded() -> None:
    global _outside
    if _attached and _driver_gone():
        detach_driver()          # an asyncio loop that closed without detaching
        return
    if _owner != _get_ident():
        raise _wrong_thread()
    if _outside:
        _outside = False
        _wake()


def guard() -> None:
    """The entry check of a call that creates or changes work on the loop.

    Raises ``WrongThreadError`` when another thread drives the loop; from the
    driving asyncio loop's own code (outside a pass) it schedules a pass.
    Nothing but one test when no loop is driven.
    """
    if _owner and (_outside or _owner != _get_ident()):
        _guarded()


def guard_io() -> None:
    """``guard()`` for a call that starts watching a file descriptor
    (``uv__io_start``): libuv registers it with epoll in its next poll, so an
    asyncio driver must run one more pass after the current one."""
    global _io_started
    _io_started = True
    if _owner and (_outside or _owner != _get_ident()):
        _guarded()


# --- next ticks and callbacks from libuv -------------------------------------------

def next_tick(callback: Callable[..., Any], *args: Any) -> None:
    """Node's ``process.nextTick(callback, ...args)`` for the library's own
    callbacks: the thread check, then ``tick`` (the public ``next_tick``
    validates a user's callback, then does the same)."""
    if _owner and (_outside or _owner != _get_ident()):   # guard(), inlined: hot path
        _guarded()
    tick((callback, args))


def process_ticks() -> None:
    """Run next ticks until the queue is empty (ticks queued meanwhile included).

    An exception leaves the ticks after the failing one queued, as Node would
    have them if it had survived.
    """
    queue = _tick_queue
    # `while True`: CPython 3.11 specialises a function's code after eight
    # calls or unconditional backward jumps; `while queue` jumps back
    # conditionally, so a drain of many ticks in a rarely called drain would
    # run unspecialised.
    while True:
        if not queue:
            return
        callback, args = queue.popleft()
        callback(*args)


def make_callback(callback: Callable[..., Any], *args: Any) -> None:
    """Node's ``MakeCallback``: call into Python from libuv, then drain the ticks.

    While an uncaught exception is stopping the loop, the call is kept for the
    next ``run()`` instead: nothing runs after the exception in this one.
    """
    if _uncaught:
        _deferred.append((callback, args))
        return
    callback(*args)
    if _tick_queue:
        process_ticks()


def _on_uncaught(exc_type: type[BaseException], exc: BaseException, tb: Any) -> None:
    # pyuv calls loop.excepthook when a callback raises: Node's process would
    # die here, so the loop stops and run() re-raises.
    _uncaught.append(exc.with_traceback(tb))
    _loop.stop()


_loop.excepthook = _on_uncaught


def _raise_uncaught() -> None:
    if _uncaught:
        first = _uncaught[0]
        _uncaught.clear()
        raise first


def _resume() -> None:
    # Before a run() or a pass: the ticks queued outside any callback, then what
    # an uncaught exception interrupted, in the order Node would have gone on:
    # the rest of the timer or immediate phase, then the calls libuv made after it.
    process_ticks()
    _resume_phases()
    while _deferred:
        callback, args = _deferred.popleft()
        make_callback(callback, *args)


# --- calls from other threads (uv_async_t) ------------------------------------------------

_threadsafe_calls: deque[tuple[Callable[..., Any], tuple[Any, ...]]] = deque()


def _on_async(handle: pyuv.Async) -> None:
    calls = _threadsafe_calls
    try:
        while calls:
            callback, args = calls.popleft()
            make_callback(callback, *args)
    finally:
        if calls:           # an exception stopped the loop: the rest in the next pass
            handle.send()


# Unreferenced, but while an asyncio loop drives the loop: then it keeps
# run_nowait() iterating whatever else is referenced (see keep_alive).
_async_handle = pyuv.Async(_loop, _on_async)
_async_handle.ref = False


def call_soon_threadsafe(callback: Callable[..., Any], *args: Any) -> None:
    """Run ``callback(*args)`` on the loop's thread, from any thread
    (``uv_async_send``): the one safe way into dgram_uv from another thread.

    It runs as a callback from libuv (next ticks drained after it) in the
    loop's next iteration, or in the next ``run()`` or pass if none is running.
    """
    if not callable(callback):
        raise TypeError(f'callback must be callable, not {type(callback).__name__}')
    _threadsafe_calls.append((callback, args))
    _async_handle.send()


# --- run ---------------------------------------------------------------------------------

_sigint_handle = pyuv.Signal(_loop)


def _on_sigint(handle: pyuv.Signal, signum: int) -> None:
    raise KeyboardInterrupt


@contextlib.contextmanager
def _sigint_watched() -> Iterator[None]:
    """While the loop waits in epoll, Python's own SIGINT handler cannot run:
    a uv_signal_t (unreferenced) turns Ctrl-C into a KeyboardInterrupt that
    stops run().  Python's handler is put back afterwards, since libuv resets
    the signal to SIG_DFL when its last watcher stops."""
    python_handler = signal.getsignal(signal.SIGINT)
    if (python_handler is not signal.default_int_handler
            or threading.current_thread() is not threading.main_thread()):
        yield
        return
    _sigint_handle.start(_on_sigint, signal.SIGINT)
    _sigint_handle.ref = False
    try:
        yield
    finally:
        _sigint_handle.stop()
        signal.signal(signal.SIGINT, python_handler)


def run() -> None:
    """Drain next ticks, then run the loop until nothing referenced is left.

    Re-raises the first exception that escaped a callback; the loop stays
    intact, so a later ``run()`` goes on where this one stopped.
    """
    global _running, _owner
    if _attached and _driver_gone():
        detach_driver()
    if _owner and _owner != _get_ident():
        raise _wrong_thread()
    if _attached:
        raise RuntimeError('dgram_uv.run(): an asyncio loop drives the uv loop '
                           '(dgram_uv.aio); await aio.wait_idle() instead')
    if _running:
        raise RuntimeError('dgram_uv.run() is already running')
    _running = True
    _set_owner('dgram_uv.run()')
    try:
        _resume()
        # One uv_run(UV_RUN_ONCE) per iteration: libuv 1.44 then runs the timers
        # due after the poll and re-checks that something referenced is alive
        # before polling again, which is the iteration order of Node's libuv
        # 1.49 under UV_RUN_DEFAULT (1.44's UV_RUN_DEFAULT polls once more
        # after the last timer, delivering I/O that Node never sees).
        with _sigint_watched():
            while not _uncaught and _loop.run(pyuv.UV_RUN_ONCE):
                _after_iteration()
        # A tick can be queued outside any callback libuv made (e.g. by
        # code that ran between a stop and this point): drain it like Node.
        if not _uncaught:
            process_ticks()
    finally:
        _running = False
        _owner = 0
    _raise_uncaught()


def run_nowait() -> None:
    """One pass of the loop that never blocks, with ``run()``'s rules.

    First the ticks queued since the last pass and what an exception
    interrupted, then ``uv_run(UV_RUN_NOWAIT)`` (timers, poll with a zero
    timeout, check, closing handles), then the ticks queued meanwhile.
    Raises the first exception that escaped a callback, as ``run()`` does.
    One NOWAIT pass runs the timers once, before its poll, so passes in a row
    give Node's order without parking the shared timer between them (a timer
    ``run()`` left parked is re-armed by the pass's prepare phase).
    """
    global _running, _outside, _io_started
    if _owner != _get_ident() or not _attached:
        raise _wrong_thread() if _owner else RuntimeError('run_nowait(): no driver attached')
    if _running:
        raise RuntimeError('dgram_uv.run() or a pass is already running')
    _running = True
    _outside = False
    _io_started = False
    try:
        _resume()
        if not _uncaught:
            _loop.run(pyuv.UV_RUN_NOWAIT)
        if not _uncaught:
            process_ticks()
    finally:
        _running = False
        _outside = _attached
    _raise_uncaught()


# --- the asyncio driver's side ---------------------------------------------------------

def attach_driver(wake: Callable[[], None], gone: Callable[[], bool]) -> None:
    """The calling thread's asyncio loop drives the uv loop from now on with
    ``run_nowait()``; ``wake()`` must schedule a pass soon; ``gone()`` tells
    that the driver went away without detaching (its asyncio loop closed)."""
    global _attached, _wake, _driver_gone, _outside
    if _attached and _driver_gone():
        detach_driver()
    if _running or _attached:
        raise RuntimeError('the uv loop is already driven (dgram_uv.run() or dgram_uv.aio)')
    _set_owner('an asyncio loop, dgram_uv.aio')
    _attached, _wake, _driver_gone, _outside = True, wake, gone, True
    _async_handle.ref = True


def detach_driver() -> None:
    """Nothing drives the loop any more (a later ``run()`` or driver goes on)."""
    global _attached, _wake, _driver_gone, _outside, _owner
    if not _attached:
        return
    _attached, _wake, _driver_gone, _outside, _owner = False, _nothing, bool, False, 0
    _async_handle.ref = False


def keep_alive(on: bool) -> None:
    """Whether the driver keeps passes iterating when nothing referenced is left
    (its asyncio application is alive: unreferenced sockets still receive)."""
    if _async_handle.ref != on:
        _async_handle.ref = on


def io_started() -> bool:
    """Whether a pass has to follow this one (see ``guard_io``)."""
    return _io_started


def alive() -> bool:
    """Whether anything referenced is left: next ticks, calls an exception
    deferred, or referenced handles and requests (the driver's own excluded)."""
    if _tick_queue or _deferred or _uncaught:
        return True
    held = _async_handle.ref
    if held:
        _async_handle.ref = False
    try:
        return bool(_loop.alive)
    finally:
        if held:
            _async_handle.ref = True


# --- at exit: a script that never ran the loop -------------------------------------------

_alive_counters: list[tuple[str, Callable[[], int]]] = []


def count_alive(name: str, counter: Callable[[], int]) -> None:
    """Add ``name`` (singular) and its count of referenced pending items to the
    at-exit warning (the timers module counts its timers and immediates)."""
    _alive_counters.append((name, counter))


def _plural(count: int, name: str) -> str:
    return f'{count} {name}' + ('' if count == 1 else 's')


def alive_summary() -> str:
    """The work a Node process would still do, counted ('1 socket, 2 timers'),
    or '' if there is none: a socket merely created keeps no loop alive, but
    counts once there is work (its bind is a queued callback)."""
    counts = [(name, counter()) for name, counter in _alive_counters]
    counts.append(('queued callback', len(_tick_queue)))
    if not (_loop.alive or any(n for _, n in counts)):
        return ''
    sockets = sum(1 for h in _loop.handles if isinstance(h, pyuv.UDP) and not h.closed and h.ref)
    return ', '.join(_plural(n, name) for name, n in [('socket', sockets), *counts] if n)


def silence_exit_warning() -> None:
    """No at-exit warning in this process (the runner, which runs the loop itself)."""
    global _driven
    _driven = True


def _warn_never_run() -> None:
    # A Node script runs its loop when it ends; a Python script has to call
    # dgram.run().  Forgetting it would exit 0 with the work never done.  Not
    # after an uncaught exception: its traceback says enough.
    if _driven or getattr(sys, 'last_value', None) is not None:
        return
    summary = alive_summary()
    if summary:
        print(f'dgram_uv: the loop never ran ({summary} left): call dgram.run() at the '
              'end of the program, or start it with `python -m dgram_uv run script.py`',
              file=sys.stderr, flush=True)


atexit.register(_warn_never_run)
