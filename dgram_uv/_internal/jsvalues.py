"""JavaScript's value rules applied to Python values: one helper per rule.

Wherever Node tests or converts a user's value (``if (address)``,
``offset >>> 0``, ``port > 0``, a template string), dgram_uv calls the helper
here instead of Python's own rule, whose answers differ: an empty list or
mapping is truthy in JS, NaN is falsy, ``+[3]`` is 3, ``String(1.0)`` is
``'1'``.

The JS value of a Python value follows dgram_uv's mapping: number = int or
float (never bool), string = str, boolean = bool, undefined = ``None`` passed
as an argument (or :data:`UNDEFINED`), Buffer = bytes (or a byte view of
bytes), Uint8Array = bytearray, DataView = a byte view of a bytearray, another
TypedArray = a memoryview of another format, Array = list or tuple, function =
any callable, object = anything else (a Mapping's keys are its properties).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any, Final

__all__ = ['UNDEFINED', 'truthy', 'to_number', 'to_uint32', 'to_string', 'number_to_string',
           'is_object', 'get', 'js_trim', 'JS_WHITESPACE']


class _Undefined:
    """JS ``undefined`` where Python needs a value distinct from None."""

    __slots__ = ()

    def __repr__(self) -> str:
        return 'undefined'

    def __bool__(self) -> bool:
        return False


UNDEFINED: Final[Any] = _Undefined()
"""JS ``undefined`` where Python needs a value: an omitted argument or an absent
option (inside an options mapping, an explicit None is JS ``null``)."""

# JS's StrWhiteSpaceChar (what String.prototype.trim and ToNumber strip); Python's
# str.strip() differs (it strips U+001C..U+001F and U+0085, keeps U+FEFF).
JS_WHITESPACE = ('\t\n\v\f\r \xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006'
                 '\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff')
# JS's StringNumericLiteral, ASCII digits only (Python's float() takes any Unicode digit).
_JS_DECIMAL = re.compile(r'[+-]?(?:Infinity|(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)')
_JS_NON_DECIMAL = re.compile(r'0(?:[xX][0-9a-fA-F]+|[oO][0-7]+|[bB][01]+)')


def js_trim(text: str) -> str:
    """JS ``String.prototype.trim``."""
    return text.strip(JS_WHITESPACE)


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def truthy(value: object) -> bool:
    """JS ``!!value``: false only for undefined/null, false, 0, -0, NaN and ''.
    Every object is true, an empty list, mapping or buffer included."""
    if value is None or value is False or value is UNDEFINED:
        return False
    if _is_number(value):
        return value == value and value != 0
    if isinstance(value, str):
        return value != ''
    return True


def to_number(value: object) -> float:
    """JS ``ToNumber`` (unary ``+value``): a boolean is 0 or 1, undefined NaN, a
    string is parsed as JS parses it, an object goes through its string
    (``+[3]`` is 3, ``+[]`` is 0, ``+{}`` is NaN)."""
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if _is_number(value):
        try:
            return float(value)     # type: ignore[arg-type]
        except OverflowError:       # an int beyond any double: JS would have Infinity
            return math.inf if value > 0 else -math.inf    # type: ignore[operator]
    if isinstance(value, str):
        text = js_trim(value)
        if text == '':
            return 0.0
        if _JS_NON_DECIMAL.fullmatch(text):
            return to_number(int(text, 0))
        if _JS_DECIMAL.fullmatch(text):
            return float(text.replace('Infinity', 'inf'))
        return math.nan
    if value is None or value is UNDEFINED or callable(value):
        return math.nan
    return to_number(to_string(value))


def to_uint32(value: object) -> int:
    """JS ``value >>> 0``."""
    number = to_number(value)
    if not math.isfinite(number):
        return 0
    return int(number) % 2 ** 32


def number_to_string(value: float) -> str:
    """JS ``Number.prototype.toString()``: ``1.0`` is ``'1'``, ``inf`` ``'Infinity'``."""
    if value != value:
        return 'NaN'
    if isinstance(value, int):
        if abs(value) <= 2 ** 53:
            return str(value)
        try:
            value = float(value)
        except OverflowError:
            return 'Infinity' if value > 0 else '-Infinity'
    if math.isinf(value):
        return 'Infinity' if value > 0 else '-Infinity'
    if value == 0:
        return '0'
    sign = '-' if value < 0 else ''
    # ECMAScript's Number::toString from the shortest round-trip digits (repr's).
    mantissa, _, exp_text = repr(abs(value)).partition('e')
    whole, _, frac = mantissa.partition('.')
    digits = (whole + frac).lstrip('0')
    point = len(whole.lstrip('0')) if whole.strip('0') else -(len(frac) - len(frac.lstrip('0')))
    point += int(exp_text) if exp_text else 0
    digits = digits.rstrip('0')
    k, n = len(digits), point
    if k <= n <= 21:
        return sign + digits + '0' * (n - k)
    if 0 < n <= 21:
        return sign + digits[:n] + '.' + digits[n:]
    if -6 < n <= 0:
        return sign + '0.' + '0' * -n + digits
    e = n - 1
    mantissa = digits if k == 1 else f'{digits[0]}.{digits[1:]}'
    return f"{sign}{mantissa}e{'+' if e >= 0 else '-'}{abs(e)}"


def _join(items: Any, seen: set[int]) -> str:
    # Array.prototype.join(','): null/undefined items are empty, a cycle is empty.
    if id(items) in seen:
        return ''
    seen = seen | {id(items)}
    return ','.join('' if item is None or item is UNDEFINED
                    else _join(item, seen) if isinstance(item, (list, tuple))
                    else to_string(item) for item in items)


def to_string(value: object) -> str:
    """JS ``String(value)``, as a template string or Node's C++ ``Utf8Value``
    converts it: ``'undefined'``, ``'true'``, ``'1'`` for ``1.0``, ``'1,2'`` for
    ``[1, 2]``, a Buffer's UTF-8 text, ``'[object Object]'``."""
    if isinstance(value, str):
        return value
    if value is None or value is UNDEFINED:
        return 'undefined'
    if isinstance(value, bool):
        return 'true' if value else 'false'
    if _is_number(value):
        return number_to_string(value)  # type: ignore[arg-type]
    if isinstance(value, (list, tuple)):
        return _join(value, set())
    if isinstance(value, bytes):
        return value.decode('utf-8', 'replace')        # Buffer#toString()
    if isinstance(value, bytearray):
        return ','.join(map(str, value))               # a Uint8Array
    if isinstance(value, memoryview):
        if value.format != 'B':
            return ','.join(map(to_string, value.tolist()))   # another TypedArray
        if isinstance(value.obj, bytes):
            return value.tobytes().decode('utf-8', 'replace')  # a Buffer's subarray
        return '[object DataView]'
    if callable(value):
        return f'function {getattr(value, "__name__", "")}() {{ [native code] }}'
    return '[object Object]'


def is_object(value: object) -> bool:
    """JS ``value !== null && typeof value === 'object'``: not a primitive, not a function."""
    return not (value is None or value is UNDEFINED or isinstance(value, (bool, int, float, str))
                or callable(value))


def get(obj: object, key: str, absent: Any = UNDEFINED) -> Any:
    """JS ``obj[key]`` on an object: a Mapping's item, another object's
    attribute; ``absent`` (undefined) when it has none."""
    if isinstance(obj, Mapping):
        return obj.get(key, absent)
    return getattr(obj, key, absent)
