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
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections import deque
from collections.abc import Callable, Iterator
from typing import Any

import pyuv

__all__ = ['run', 'next_tick', 'make_callback', 'process_ticks', 'get_loop', 'set_phase_hooks']

_loop: pyuv.Loop = pyuv.Loop.default_loop()
_tick_queue: deque[tuple[Callable[..., Any], tuple[Any, ...]]] = deque()
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


# --- next ticks and callbacks from libuv -------------------------------------------

def next_tick(callback: Callable[..., Any], *args: Any) -> None:
    """Node's ``process.nextTick(callback, ...args)`` for the library's own
    callbacks (the public ``next_tick`` validates a user's first)."""
    _tick_queue.append((callback, args))


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
    global _running
    if _running:
        raise RuntimeError('dgram_uv.run() is already running')
    _running = True
    try:
        process_ticks()
        # Finish what an uncaught exception interrupted, in the order Node
        # would have gone on: the rest of the timer or immediate phase, then
        # the calls libuv made after it.
        _resume_phases()
        while _deferred:
            callback, args = _deferred.popleft()
            make_callback(callback, *args)
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
    if _uncaught:
        first = _uncaught[0]
        _uncaught.clear()
        raise first
