"""The trace's lines (``dgram_uv.trace``): their format, the iteration
numbering and the loop phases.  ``trace`` installs what writes them.

Every line is ``uv <iteration> <kind> <text>``:

* ``call``: Python calls libuv, ``name(args) = status``: libuv's function name,
  the arguments as libuv takes them (a handle as ``udp#1``, with its fd), and
  what it returns: ``0``, a count, or a failure by libuv's name
  (``UV_EADDRINUSE``); void functions (``uv_close``, ``uv_ref``) have no status.
  Results the call writes through a pointer follow (``name=127.0.0.1:41234``).
* ``cb``: libuv calls Python, ``name(args)`` (``recv_cb``, ``send_cb``,
  ``close_cb``, ``timer_cb``, ...).
* ``phase``: the loop enters a phase of the iteration (``poll timeout=-1``).
* ``loop``: ``run()`` starts the loop, or ends it (``end alive=0``).
* ``tick``, ``immediate``, ``timeout`` (with ``ticks``): ``queue f(args)`` when
  one is queued, ``run f(args)`` when it runs.

The iteration is 0 until the loop first runs, then counts every iteration.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable
from typing import Any, TextIO

import pyuv

from . import loop, timers, uv_compat
from .uv import errmap_get

# The phases of one loop iteration, in libuv's order (its docs/src/design.rst);
# pyuv's libuv 1.44 also runs due timers at the start of uv_run(UV_RUN_ONCE).
TIMERS_FIRST, PENDING, IDLE, PREPARE, POLL, CHECK, CLOSING, TIMERS = range(1, 9)
IO = 0      # an I/O callback: in the pending phase before the poll, else in the poll
_PHASE = {TIMERS_FIRST: 'timers', PENDING: 'pending', IDLE: 'idle', PREPARE: 'prepare',
          POLL: 'poll', CHECK: 'check', CLOSING: 'closing', TIMERS: 'timers'}


class State:
    """The trace's one state: where it writes, and where the loop is."""

    def __init__(self) -> None:
        self.on = False
        self.ticks = False
        self.out: TextIO | None = None      # None: sys.stderr, looked up per line
        self.iteration = 0
        self.phase = 0
        self.polled = False                 # the trace's prepare handle ran this iteration
        self.ran_pending = False
        self.closing = 0                    # traced handles closed, close_cb still to come
        self.timer_due: float | None = None     # the shared uv_timer_t's due time (loop ms)
        self.counters: dict[str, int] = {}
        self.fds: dict[int, str] = {}       # fd -> 'udp#N', for the calls made on an fd


state = State()


def write(kind: str, text: str) -> None:
    if not state.on:
        return
    out = state.out if state.out is not None else sys.stderr
    out.write(f'uv {state.iteration} {kind} {text}\n')
    out.flush()


def new_name(kind: str) -> str:
    """``udp#1``, ``timer#1``, ``udp_send#3``: handles and requests by type, numbered."""
    number = state.counters.get(kind, 0) + 1
    state.counters[kind] = number
    return f'{kind}#{number}'


def status(code: int) -> str:
    """0 or a count as a number; a failure as libuv's name (``UV_EADDRINUSE``)."""
    if code >= 0:
        return str(code)
    entry = errmap_get(code)
    return f'UV_{entry[0]}' if entry else str(code)


def addr(address: Any) -> str:
    """A sockaddr as ``127.0.0.1:41234`` or ``[::1]:41234`` (``%scope`` included)."""
    if address is None:
        return 'NULL'
    if isinstance(address, tuple) and len(address) in (2, 4):
        ip = str(address[0])
        if len(address) == 4 and address[3] and '%' not in ip:
            ip = f'{ip}%{address[3]}'
        return ip_addr(ip, address[1])
    return repr(address)


def ip_addr(ip: str, port: int) -> str:
    return f'[{ip}]:{port}' if ':' in ip else f'{ip}:{port}'


_BIND_FLAGS = ((uv_compat.UV_UDP_IPV6ONLY, 'UV_UDP_IPV6ONLY'),
               (uv_compat.UV_UDP_REUSEADDR, 'UV_UDP_REUSEADDR'),
               (uv_compat.UV_UDP_REUSEPORT, 'UV_UDP_REUSEPORT'))


def flags(value: int) -> str:
    names = [name for bit, name in _BIND_FLAGS if value & bit]
    rest = value & ~sum(bit for bit, _ in _BIND_FLAGS)
    return '|'.join(names + ([str(rest)] if rest else [])) or '0'


def membership(value: int) -> str:
    return 'UV_JOIN_GROUP' if value == pyuv.UV_JOIN_GROUP else 'UV_LEAVE_GROUP'


def nbytes(data: Any) -> int:
    if isinstance(data, (list, tuple)):
        return sum(nbytes(part) for part in data)
    return memoryview(data).nbytes


def call(name: str, args: str, code: int | None = None, result: str = '') -> None:
    """A call from Python into libuv; ``code`` None: the function returns void."""
    text = f'{name}({args})'
    if code is not None:
        text += f' = {status(code)}'
    write('call', text + (f' {result}' if result else ''))


def brief(value: Any) -> str:
    """A queued callback's argument, short enough for one line."""
    if isinstance(value, str):
        text = repr(value)
        return text if len(text) <= 40 else text[:36] + "...'"
    if value is None or isinstance(value, (bool, int, float)):
        return repr(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return f'<{nbytes(value)} bytes>'
    if isinstance(value, BaseException):
        return type(value).__name__
    return f'<{type(value).__name__}>'


def callable_name(callback: Any) -> str:
    return str(getattr(callback, '__qualname__', None) or type(callback).__name__)


# --- iterations and phases ---------------------------------------------------------

def new_iteration() -> None:
    state.iteration += 1
    state.phase = 0
    state.polled = False
    state.ran_pending = False


def enter(phase: int, detail: str = '') -> None:
    """Write the phase's line once, when the first thing of the phase happens."""
    if phase < state.phase:
        # The loop went round without run()'s hooks (pyuv's loop.run called
        # directly): a new iteration all the same.
        new_iteration()
    if phase > state.phase:
        if state.phase >= POLL:
            # After the poll every iteration goes through check and closing:
            # those no callback showed are written on the way.
            for passed in (CHECK, CLOSING):
                if state.phase < passed < phase:
                    write('phase', _PHASE[passed])
        state.phase = phase
        if phase == PENDING:
            state.ran_pending = True
        write('phase', _PHASE[phase] + (f' {detail}' if detail else ''))


def enter_for(phase: int) -> None:
    """Enter the phase a callback of this kind runs in."""
    if phase == IO:
        # Before the poll: deferred from the last one (libuv's pending queue).
        # After it (check, closing, timers): the next iteration's pending phase.
        if state.phase != POLL:
            enter(PENDING)
    elif phase == TIMERS:
        enter(TIMERS_FIRST if state.phase < POLL else TIMERS)
    else:
        enter(phase)


def finish_iteration() -> None:
    """The closing and timers phases come after the check phase in every
    iteration: written here when no callback ran in them."""
    if state.phase == 0 and not state.polled:
        return
    if state.phase < TIMERS:
        enter(TIMERS)


def poll_timeout() -> int:
    """How long the coming poll may block (ms, -1: until an event), as libuv
    reckons it (``uv__backend_timeout``)."""
    if state.ran_pending:
        return 0        # libuv 1.44's UV_RUN_ONCE does not block after pending callbacks
    uv_loop = loop.get_loop()
    seconds = uv_loop.get_timeout()
    if seconds != 0:
        return -1 if seconds < 0 else round(seconds * 1000)
    # The public uv_backend_timeout also answers 0 while new fds wait to be
    # added to epoll, which the poll itself does first: apply libuv's rules.
    if (loop._uncaught or not uv_loop.alive or timers._idle_handle.active
            or state.closing):
        return 0
    if not timers._timer_handle.active:
        return -1
    due = state.timer_due
    if due is None:     # started before the trace: the timers module's expiry
        due = timers._armed_expiry
        if not math.isfinite(due):
            return -1
    return max(0, int(due - uv_loop.now()))


def on_prepare(handle: pyuv.Prepare) -> None:
    """The trace's prepare callback, the last before the poll: what it will wait."""
    if state.polled:
        new_iteration()
    state.polled = True
    enter(POLL, f'timeout={poll_timeout()}')


def on_check(handle: pyuv.Check) -> None:
    enter(CHECK)


def traced_callback(phase: int, cb_name: str, describe: Callable[..., str],
                    callback: Callable[..., Any]) -> Callable[..., Any]:
    """``callback`` as libuv will call it, writing the phase and the ``cb`` line first."""
    def traced(*args: Any) -> Any:
        if state.on:
            enter_for(phase)
            write('cb', f'{cb_name}({describe(*args)})')
        return callback(*args)
    return traced


def set_ref(name: str, get: Callable[[], bool], put: Callable[[bool], None],
            value: Any) -> None:
    """``handle.ref = value``: ``uv_ref``/``uv_unref``, written when it changes the state."""
    before = get()
    put(value)
    if bool(value) != before:
        call('uv_ref' if value else 'uv_unref', name)
