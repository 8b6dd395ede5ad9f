"""Node's timers (lib/timers.js) and ``process.nextTick``: the public functions.

Each validates its callback as Node does (``ERR_INVALID_ARG_TYPE``) and coerces
the delay with JavaScript's ``ToNumber`` (milliseconds; outside 1 ..
2**31 - 1, or not a number, it is 1 ms), then queues the work on the uv loop
(``_binding.timers``: one shared ``uv_timer_t``; immediates in the check phase
from a ``uv_check_t``).
"""

from __future__ import annotations

from collections.abc import Callable
from threading import get_ident
from typing import Any

from ._binding import loop
from ._binding.timers import Immediate, Timeout, clear_immediate, clear_timeout
from ._internal.validators import to_number, validate_function

__all__ = ['next_tick', 'set_timeout', 'set_interval', 'set_immediate', 'clear_timeout',
           'clear_interval', 'clear_immediate', 'Timeout', 'Immediate']


def _delay(delay: object) -> float:
    # Node: `after *= 1` (ToNumber: [5] is 5, true is 1); the range check is Timeout's.
    return to_number(delay)


def next_tick(callback: Callable[..., Any], *args: Any) -> None:
    """Node's ``process.nextTick(callback, ...args)``: ``callback(*args)`` runs once
    the current callback returns, before libuv's loop goes on."""
    if not callable(callback):
        validate_function(callback, 'callback')
    if loop._owner and (loop._outside or loop._owner != get_ident()):
        loop._guarded()     # loop.guard(), inlined
    loop.tick((callback, args))


def set_timeout(callback: Callable[..., Any], delay: object = 1, *args: Any) -> Timeout:
    """Node's ``setTimeout(callback, delay, ...args)``: ``callback(*args)`` after
    ``delay`` milliseconds (``uv_timer_start`` on the shared timer)."""
    if not callable(callback):
        validate_function(callback, 'callback')
    # A plain int or float is its own number (Timeout checks the range).
    if type(delay) is int or type(delay) is float:
        return Timeout(callback, delay, args, False)
    return Timeout(callback, _delay(delay), args, False)


def set_interval(callback: Callable[..., Any], delay: object = 1, *args: Any) -> Timeout:
    """Node's ``setInterval(callback, delay, ...args)``: every ``delay`` milliseconds."""
    if not callable(callback):
        validate_function(callback, 'callback')
    if type(delay) is int or type(delay) is float:
        return Timeout(callback, delay, args, True)
    return Timeout(callback, _delay(delay), args, True)


def set_immediate(callback: Callable[..., Any], *args: Any) -> Immediate:
    """Node's ``setImmediate(callback, ...args)``: runs in the check phase of the
    loop's next iteration (``uv_check_t``)."""
    if not callable(callback):
        validate_function(callback, 'callback')
    return Immediate(callback, args)


clear_interval = clear_timeout
