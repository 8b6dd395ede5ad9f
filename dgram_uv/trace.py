"""A trace of libuv at work, for learning libuv: every libuv call dgram_uv makes,
every callback libuv makes into Python, and every loop phase, one line each.

``DGRAM_UV_TRACE=1 python script.py`` traces from start-up to stderr
(``DGRAM_UV_TRACE=uv,ticks`` adds next ticks, immediates and timeouts); in a
program, ``dgram_uv.trace.enable()`` and ``disable()``.  A line reads
``uv <iteration> <kind> <text>``::

    uv 0 call uv_udp_bind(udp#1, fd=18, addr=0.0.0.0:41234, flags=0) = 0
    uv 1 phase poll timeout=-1
    uv 1 cb recv_cb(udp#1, nread=10, addr=127.0.0.1:52066, flags=0)
    uv 2 call uv_close(udp#1, fd=18)

docs/libuv.md explains the format and walks through a trace.  Tracing changes
no behaviour and no event order; off, it costs nothing (the traced versions are
installed by ``enable`` and removed by ``disable``).
"""

from __future__ import annotations

import os
import sys
from typing import TextIO

__all__ = ['enable', 'disable']

_CATEGORIES = ('uv', 'ticks')


def enable(file: TextIO | None = None, *, ticks: bool = False) -> None:
    """Write the trace to ``file`` (None: ``sys.stderr``); ``ticks``: also each
    next tick, immediate and timeout when it is queued and when it runs.
    Handles made before this call stay untraced; enabling again restarts."""
    # Imported here: while tracing is off, not even the machinery is loaded.
    from ._binding import trace as _trace
    _trace.install(file, ticks)


def disable() -> None:
    """Stop tracing: the untraced functions are back in place."""
    if 'dgram_uv._binding.trace' in sys.modules:
        from ._binding import trace as _trace
        _trace.uninstall()


def _parse(value: str) -> tuple[bool, bool] | None:
    """``DGRAM_UV_TRACE``: '' or '0' off; '1' or 'uv' on; 'uv,ticks' (or
    'ticks') with the ticks.  (on, ticks), or None for a value it cannot read."""
    value = value.strip().lower()
    if value in ('', '0'):
        return False, False
    words = {word.strip() for word in value.split(',')} - {''}
    if value == '1':
        words = {'uv'}
    if not words or not words <= set(_CATEGORIES):
        return None
    return True, 'ticks' in words


def _from_environment() -> None:
    value = os.environ.get('DGRAM_UV_TRACE', '')
    parsed = _parse(value)
    if parsed is None:
        print(f'dgram_uv: DGRAM_UV_TRACE={value!r} is not understood (use 1, uv or uv,ticks);'
              ' tracing stays off', file=sys.stderr)
    elif parsed[0]:
        enable(ticks=parsed[1])


_from_environment()
