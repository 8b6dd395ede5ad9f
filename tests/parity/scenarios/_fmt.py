"""Shared output helpers for the Python side of the parity scenarios.

The twin of ``_fmt.js``: both print the same text for the same facts.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

__all__ = ['fmt', 'fmt_err', 'out', 'attempt']


def fmt(value: Any) -> str:
    """A value as both sides print it (None -> 'null', bools as true/false)."""
    if value is None:
        return 'null'
    if isinstance(value, bool):
        return 'true' if value else 'false'
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).decode('latin-1')
    if isinstance(value, BaseException):
        return fmt_err(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def family(err: BaseException) -> str:
    """TypeError, RangeError (Python's ValueError) or Error (everything else)."""
    if isinstance(err, TypeError):
        return 'TypeError'
    if isinstance(err, ValueError):
        return 'RangeError'
    return 'Error'


def strip_received(message: str) -> str:
    """The message up to Node's "Received ..." clause, which describes the value."""
    index = message.find(' Received')
    return message if index == -1 else message[:index]


def fmt_err(err: BaseException, replace: Mapping[Any, str] | None = None) -> str:
    """'code family message'; ``replace`` maps substrings (a port) to placeholders."""
    message = strip_received(str(err))
    for old, new in (replace or {}).items():
        message = message.replace(str(old), new)
    return f'{fmt(getattr(err, "code", None))} {family(err)} {message}'


def out(*parts: Any) -> None:
    print(' '.join(fmt(part) for part in parts), flush=True)


def attempt(label: str, fn: Callable[[], Any], replace: Mapping[Any, str] | None = None) -> None:
    """Runs ``fn()``; prints 'label ok' or 'label throws <fmt_err>'."""
    try:
        fn()
    except Exception as err:
        out(label, 'throws', fmt_err(err, replace))
    else:
        out(label, 'ok')
