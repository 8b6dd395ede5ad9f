"""Node's argument validators (lib/internal/validators.js) on Python values.

JS types map to Python ones: a number is an int or a float but
never a bool, a string is a str, an object is a Mapping (or any object for the
validators that accept class instances), a function is a callable.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeGuard

from . import errors

# The JS value rules live in jsvalues; these names stay importable from here.
from .jsvalues import JS_WHITESPACE as JS_WHITESPACE
from .jsvalues import UNDEFINED, is_object
from .jsvalues import js_trim as js_trim
from .jsvalues import to_number as to_number

MIN_SAFE_INTEGER = -(2 ** 53 - 1)
MAX_SAFE_INTEGER = 2 ** 53 - 1


def is_number(value: object) -> TypeGuard[int | float]:
    """JS ``typeof value === 'number'``."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def is_integer(value: object) -> bool:
    """JS ``Number.isInteger``."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    return isinstance(value, float) and math.isfinite(value) and value.is_integer()


def validate_integer(value: object, name: str, min_: int = MIN_SAFE_INTEGER,
                     max_: int = MAX_SAFE_INTEGER) -> int:
    if not is_number(value):
        raise errors.ERR_INVALID_ARG_TYPE(name, 'number', value)
    if not is_integer(value):
        raise errors.ERR_OUT_OF_RANGE(name, 'an integer', value)
    if value < min_ or value > max_:
        raise errors.ERR_OUT_OF_RANGE(name, f'>= {min_} && <= {max_}', value)
    return int(value)


def validate_int32(value: object, name: str, min_: int = -2147483648,
                   max_: int = 2147483647) -> int:
    return validate_integer(value, name, min_, max_)


def validate_uint32(value: object, name: str, positive: bool = False) -> int:
    return validate_integer(value, name, 1 if positive else 0, 4_294_967_295)


def validate_number(value: object, name: str, min_: float | None = None,
                    max_: float | None = None) -> float:
    if not is_number(value):
        raise errors.ERR_INVALID_ARG_TYPE(name, 'number', value)
    if ((min_ is not None and value < min_) or (max_ is not None and value > max_)
            or ((min_ is not None or max_ is not None) and math.isnan(value))):
        low = f'>= {min_}' if min_ is not None else ''
        high = f'<= {max_}' if max_ is not None else ''
        raise errors.ERR_OUT_OF_RANGE(name, ' && '.join(x for x in (low, high) if x), value)
    return value


def validate_string(value: object, name: str) -> str:
    if not isinstance(value, str):
        raise errors.ERR_INVALID_ARG_TYPE(name, 'string', value)
    return value


def validate_function(value: object, name: str) -> Callable[..., Any]:
    if not callable(value):
        raise errors.ERR_INVALID_ARG_TYPE(name, 'Function', value)
    return value


def validate_object(value: object, name: str) -> Mapping[str, Any]:
    """An options object: a Mapping (JS object), never None or a list."""
    if not isinstance(value, Mapping):
        raise errors.ERR_INVALID_ARG_TYPE(name, 'Object', value)
    return value


def validate_one_of(value: object, name: str, one_of: Sequence[object]) -> None:
    if value not in one_of:
        allowed = ', '.join(repr(v) for v in one_of)
        raise errors.ERR_INVALID_ARG_VALUE(name, value, f'must be one of: {allowed}')


def validate_abort_signal(signal: object, name: str) -> None:
    """Node's validateAbortSignal: undefined (UNDEFINED) passes, as does any
    object with an ``aborted`` property (a mapping with an ``'aborted'`` key
    included); null (None) and anything else is ``ERR_INVALID_ARG_TYPE``."""
    if signal is UNDEFINED:
        return
    if not is_object(signal) or not (
            'aborted' in signal if isinstance(signal, Mapping) else hasattr(signal, 'aborted')):
        raise errors.ERR_INVALID_ARG_TYPE(name, 'AbortSignal', signal)


def validate_port(port: object, name: str = 'Port', allow_zero: bool = True) -> int:
    """Node's validatePort: a number or numeric string in [0, 65535], returned as int."""
    if not (is_number(port) or isinstance(port, str)) or (
            isinstance(port, str) and js_trim(port) == ''):
        raise errors.ERR_SOCKET_BAD_PORT(name, port, allow_zero)
    value = to_number(port)
    # Node's `port === 0 && !allowZero` rejects the number 0 only, not '0'.
    if (not math.isfinite(value) or not value.is_integer() or value < 0 or value > 0xFFFF
            or (is_number(port) and value == 0 and not allow_zero)):
        raise errors.ERR_SOCKET_BAD_PORT(name, port, allow_zero)
    return int(value)


