"""Node's lib/internal/errors.js: the error classes and codes behind the public
``dgram_uv.errors`` (whose docstring says how they map onto Python's families)."""

from __future__ import annotations

import math
import re
import types
from collections.abc import Sequence
from typing import Any, ClassVar

from .._binding.uv import errname as uv_err_name
from .._binding.uv import strerror as uv_strerror
from .jsvalues import to_number, to_string, truthy

__all__ = [
    'NodeError', 'NodeTypeError', 'NodeRangeError', 'ERR_BUFFER_OUT_OF_BOUNDS',
    'ERR_INVALID_ARG_TYPE', 'ERR_INVALID_ARG_VALUE',
    'ERR_MISSING_ARGS', 'ERR_OUT_OF_RANGE', 'ERR_SOCKET_BAD_PORT', 'ERR_IP_BLOCKED',
    'ERR_UNHANDLED_ERROR', 'ERR_SOCKET_ALREADY_BOUND', 'ERR_SOCKET_BAD_BUFFER_SIZE',
    'ERR_SOCKET_BAD_TYPE', 'ERR_SOCKET_DGRAM_IS_CONNECTED', 'ERR_SOCKET_DGRAM_NOT_CONNECTED',
    'ERR_SOCKET_DGRAM_NOT_RUNNING', 'ERR_INVALID_FD_TYPE',
    'ERR_INVALID_THIS', 'ERR_ILLEGAL_CONSTRUCTOR', 'ERR_UNKNOWN_SIGNAL',

    'ERR_INVALID_ADDRESS',
    'ERR_EVENT_RECURSION', 'ERR_IPC_CHANNEL_CLOSED', 'ERR_IPC_DISCONNECTED',
    'ERR_INVALID_HANDLE_TYPE', 'ERR_SOCKET_BUFFER_SIZE', 'AbortError', 'ErrnoException',
    'ExceptionWithHostPort', 'DNSException',
    'NodeDeprecationWarning', 'uv_err_name', 'uv_strerror', 'determine_specific_type',
    'inspect',
]


# --- how Node describes a received value, applied to Python values ----------------

def _add_numerical_separator(text: str) -> str:
    sign, digits = ('-', text[1:]) if text.startswith('-') else ('', text)
    return sign + f'{int(digits):_}'


def inspect(value: object) -> str:
    """A short Python rendering of ``value`` (Node's util.inspect role)."""
    if isinstance(value, (types.FunctionType, types.BuiltinFunctionType, types.MethodType)):
        return f'[Function: {getattr(value, "__name__", "anonymous")}]'
    return repr(value)


def determine_specific_type(value: object) -> str:
    """The "Received ..." clause of Node's messages, describing a Python value."""
    if value is None:
        return 'None'
    if isinstance(value, (bool, int, float)):
        return f'type {type(value).__name__} ({value!r})'
    if isinstance(value, str):
        shown = value if len(value) <= 28 else value[:25] + '...'
        return f'type str ({shown!r})'
    if isinstance(value, (types.FunctionType, types.BuiltinFunctionType, types.MethodType)):
        return f'function {getattr(value, "__name__", "")}'
    if callable(value) and isinstance(value, type):
        return f'function {value.__name__}'
    return f'an instance of {type(value).__name__}'


def _format_list(items: Sequence[str], conjunction: str = 'and') -> str:
    if len(items) <= 2:
        return f' {conjunction} '.join(items)
    return f'{", ".join(items[:-1])}, {conjunction} {items[-1]}'


# --- Node's coded errors ------------------------------------------------------------

class NodeError(Exception):
    """An error with Node's ``code`` (``err.code``), ``name`` and message."""

    code: ClassVar[str] = 'ERR'
    name: ClassVar[str] = 'Error'

    def __init__(self, message: str = '') -> None:
        super().__init__(message)
        self.message = message

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.__name__.startswith('ERR_') and 'code' not in cls.__dict__:
            cls.code = cls.__name__

    def __str__(self) -> str:
        return self.message


class NodeTypeError(NodeError, TypeError):
    """Node's coded TypeErrors."""

    name = 'TypeError'


class NodeRangeError(NodeError, ValueError):
    """Node's coded RangeErrors."""

    name = 'RangeError'


class _Fixed(NodeError):
    """A coded error whose message is ``text`` with ``%s`` filled from the args."""

    text: ClassVar[str] = ''

    def __init__(self, *args: object) -> None:
        super().__init__(self.text % args if args else self.text)


class ERR_BUFFER_OUT_OF_BOUNDS(NodeRangeError):
    def __init__(self, name: str | None = None) -> None:
        super().__init__(f'"{name}" is outside of buffer bounds' if name
                         else 'Attempt to access memory outside buffer bounds')


_CLASS_NAME = re.compile(r'[A-Z][a-zA-Z0-9]*')    # Node's classRegExp
_KTYPES = ('string', 'function', 'number', 'object', 'Function', 'Object', 'boolean',
           'bigint', 'symbol')


class ERR_INVALID_ARG_TYPE(NodeTypeError):
    def __init__(self, name: str, expected: str | Sequence[str], actual: object) -> None:
        wanted = [expected] if isinstance(expected, str) else list(expected)
        if name.endswith(' argument'):
            msg = f'The {name} must be '
        else:
            msg = f'The "{name}" {"property" if "." in name else "argument"} must be '
        kinds = [w.lower() for w in wanted if w in _KTYPES]
        instances = [w for w in wanted if w not in _KTYPES and _CLASS_NAME.fullmatch(w)]
        other = [w for w in wanted if w not in _KTYPES and not _CLASS_NAME.fullmatch(w)]
        if instances and 'object' in kinds:
            kinds.remove('object')
            instances.append('Object')
        parts = []
        if kinds:
            parts.append(f'{"one of type" if len(kinds) > 1 else "of type"} '
                         f'{_format_list(kinds, "or")}')
        if instances:
            parts.append(f'an instance of {_format_list(instances, "or")}')
        if other:
            parts.append(f'one of {_format_list(other, "or")}' if len(other) > 1
                         else ('' if other[0].lower() == other[0] else 'an ') + other[0])
        super().__init__(f'{msg}{" or ".join(parts)}. Received {determine_specific_type(actual)}')


def _invalid_arg_value(name: str, value: object, reason: str = 'is invalid') -> str:
    shown = inspect(value)
    shown = shown if len(shown) <= 128 else shown[:128] + '...'
    return f"The {'property' if '.' in name else 'argument'} '{name}' {reason}. Received {shown}"


class ERR_INVALID_ARG_VALUE(NodeTypeError):
    def __init__(self, name: str, value: object, reason: str = 'is invalid') -> None:
        super().__init__(_invalid_arg_value(name, value, reason))


class ERR_MISSING_ARGS(NodeTypeError):
    def __init__(self, *names: str | Sequence[str]) -> None:
        quoted = [' or '.join(f'"{a}"' for a in n) if not isinstance(n, str) else f'"{n}"'
                  for n in names]
        plural = 's' if len(names) > 1 else ''
        super().__init__(f'The {_format_list(quoted)} argument{plural} must be specified')


class ERR_OUT_OF_RANGE(NodeRangeError):
    def __init__(self, name: str, range_: str, received: object,
                 replace_default_boolean: bool = False) -> None:
        msg = name if replace_default_boolean else f'The value of "{name}" is out of range.'
        super().__init__(f'{msg} It must be {range_}. Received {_range_received(received)}')


def _range_received(value: object) -> str:
    # Node writes an integer beyond 2 ** 32 with separators: 4_294_967_296.
    if (isinstance(value, (int, float)) and not isinstance(value, bool)
            and math.isfinite(value) and float(value).is_integer() and abs(value) > 2 ** 32):
        return _add_numerical_separator(str(int(value)))
    return inspect(value)


class ERR_SOCKET_BAD_PORT(NodeRangeError):
    def __init__(self, name: str, port: object, allow_zero: bool = True) -> None:
        op = '>=' if allow_zero else '>'
        super().__init__(
            f'{name} should be {op} 0 and < 65536. Received {determine_specific_type(port)}.')


class ERR_IP_BLOCKED(NodeError):
    def __init__(self, ip: str) -> None:
        super().__init__(f'IP({ip}) is blocked by net.BlockList')


class ERR_UNHANDLED_ERROR(NodeError):
    def __init__(self, err: object = None) -> None:
        super().__init__('Unhandled error.' if err is None else f'Unhandled error. ({err})')
        self.context = err


class ERR_SOCKET_ALREADY_BOUND(_Fixed):
    text = 'Socket is already bound'

class ERR_SOCKET_BAD_BUFFER_SIZE(_Fixed, NodeTypeError):
    text = 'Buffer size must be a positive integer'

class ERR_SOCKET_BAD_TYPE(_Fixed, NodeTypeError):
    text = 'Bad socket type specified. Valid types are: udp4, udp6'

class ERR_SOCKET_DGRAM_IS_CONNECTED(_Fixed):
    text = 'Already connected'

class ERR_SOCKET_DGRAM_NOT_CONNECTED(_Fixed):
    text = 'Not connected'

class ERR_SOCKET_DGRAM_NOT_RUNNING(_Fixed):
    text = 'Not running'


class ERR_INVALID_FD_TYPE(_Fixed, NodeTypeError):
    text = 'Unsupported fd type: %s'

class ERR_INVALID_THIS(_Fixed, NodeTypeError):
    text = 'Value of "this" must be of type %s'

class ERR_ILLEGAL_CONSTRUCTOR(_Fixed, NodeTypeError):
    text = 'Illegal constructor'

class ERR_UNKNOWN_SIGNAL(_Fixed, NodeTypeError):
    text = 'Unknown signal: %s'


class ERR_INVALID_ADDRESS(_Fixed):
    """Raised by Node's C++ SocketAddress for a string that is not an IP address."""

    text = 'Invalid socket address'


class ERR_EVENT_RECURSION(_Fixed):
    text = 'The event "%s" is already being dispatched'


class ERR_IPC_CHANNEL_CLOSED(_Fixed):
    text = 'Channel closed'


class ERR_IPC_DISCONNECTED(_Fixed):
    text = 'IPC channel is already disconnected'


class ERR_INVALID_HANDLE_TYPE(_Fixed, NodeTypeError):
    text = 'This handle type cannot be sent'


class ERR_SOCKET_BUFFER_SIZE(NodeError):
    """Node's SystemError ``ERR_SOCKET_BUFFER_SIZE``; ``info`` is libuv's context."""

    name = 'SystemError'

    def __init__(self, ctx: dict[str, Any]) -> None:
        super().__init__('Could not get or set buffer size: '
                         f'{ctx["syscall"]} returned {ctx["code"]} ({ctx["message"]})')
        self.info = ctx

    # Node's SystemError: `errno` and `syscall` read and write the `info` object.
    @property
    def errno(self) -> int:
        return int(self.info['errno'])

    @errno.setter
    def errno(self, value: int) -> None:
        self.info['errno'] = value

    @property
    def syscall(self) -> str:
        return str(self.info['syscall'])

    @syscall.setter
    def syscall(self, value: str) -> None:
        self.info['syscall'] = value


class AbortError(NodeError):
    """Node's AbortError: code ``ABORT_ERR``, name ``AbortError``, optional ``cause``."""

    code = 'ABORT_ERR'
    name = 'AbortError'

    def __init__(self, message: str = 'The operation was aborted',
                 cause: object = None) -> None:
        super().__init__(message)
        self.cause = cause
        if cause is not None and isinstance(cause, BaseException):
            self.__cause__ = cause


# --- system errors -----------------------------------------------------------------

def _details(address: object, port: object) -> str:
    # Node's `port && port > 0` and template strings, with JS's conversions:
    # '0x1F90' is a port, 12345.0 reads '12345', an undefined address 'undefined'.
    if truthy(port) and to_number(port) > 0:
        return f' {to_string(address)}:{to_string(port)}'
    return f' {to_string(address)}' if truthy(address) else ''


class ErrnoException(OSError):
    """Node's ErrnoException: ``str(err)`` is ``'<syscall> <CODE>[ <original>]'``."""

    name = 'Error'

    def __init__(self, status: int, syscall: str, original: str | None = None,
                 message: str | None = None) -> None:
        code = uv_err_name(status)
        if message is None:
            message = f'{syscall} {code} {original}' if original else f'{syscall} {code}'
        super().__init__(-status, message)
        self.code = code
        self.syscall = syscall
        self.message = message
        self.address: str | None = None
        self.port: int | None = None

    def __str__(self) -> str:
        return self.message


class ExceptionWithHostPort(ErrnoException):
    """Node's ExceptionWithHostPort: ``bind EADDRINUSE 0.0.0.0:41234``."""

    def __init__(self, status: int, syscall: str, address: str | None, port: Any = None,
                 additional: str | None = None) -> None:
        details = _details(address, port)
        if additional:
            details += f' - Local ({additional})'
        super().__init__(status, syscall, message=f'{syscall} {uv_err_name(status)}{details}')
        self.address = address
        self.port = port if truthy(port) else None


class DNSException(OSError):
    """Node's DNSException: ``getaddrinfo ENOTFOUND no.such.host``."""

    name = 'Error'

    def __init__(self, code: int | str, syscall: str, hostname: str | None = None) -> None:
        status: int | None = None
        if isinstance(code, int):
            status = code
            name = uv_err_name(code)
            code = 'ENOTFOUND' if name in ('EAI_NODATA', 'EAI_NONAME') else name
        self.message = f'{syscall} {code}{" " + hostname if hostname else ""}'
        super().__init__(-status if status is not None else None, self.message)
        self.code = code
        self.syscall = syscall
        self.hostname = hostname

    def __str__(self) -> str:
        return self.message


class NodeDeprecationWarning(DeprecationWarning):
    """Node's DeprecationWarning (``process.emitWarning(msg, 'DeprecationWarning', code)``)."""

    name = 'DeprecationWarning'

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code

    def __str__(self) -> str:
        return self.message
