"""Node's ``test/common`` for the translated dgram tests in compat/.

Every compat file is a script translated from one Node test, run in a fresh
Python process as Node runs each test in a fresh process::

    def main() -> None:
        ...                                  # the Node file's top-level statements

    test_dgram_bind = common.node_test(__file__)   # pytest: run this file in a subprocess
    if __name__ == '__main__':
        common.run(main)

``run(main)`` plays the Node process: it calls ``main()``, runs the dgram_uv
loop until nothing referenced is left, then checks the call counts registered
by ``must_call``/``must_succeed``/``expects_error`` as Node's test/common does
on the process's ``'exit'`` event, and exits 0 or 1.
"""

from __future__ import annotations

import builtins
import functools
import inspect
import os
import re
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import traceback
import warnings
from collections.abc import Callable, Coroutine, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, NoReturn, TextIO

__all__ = [
    'PORT', 'ROOT', 'DEFAULT_TIMEOUT', 'has_ipv6', 'has_multi_localhost', 'is_linux',
    'is_windows', 'is_macos', 'is_freebsd', 'is_openbsd', 'is_sunos', 'is_aix', 'is_ibmi',
    'localhost_ipv4', 'platform_timeout', 'must_call', 'must_call_at_least', 'must_not_call',
    'must_succeed', 'expects_error', 'assert_throws', 'assert_raises', 'ErrorSpec',
    'node_string', 'invalid_arg_type_helper', 'get_array_buffer_views',
    'expects_warning', 'on_warning', 'skip', 'run', 'node_test', 'module_name', 'child_argv',
    'spawn_child', 'WallClockTimeout', 'start_async', 'Countdown', 'FAILURES_ENV', 'TOP_ENV',
    'take_child_failures', 'manifest_status', 'inspect_error', 'CHILD_FAILED',
]

ROOT = Path(__file__).resolve().parent.parent
"""The repository root (the directory holding compat/ and dgram_uv/)."""

DEFAULT_TIMEOUT = 60.0
"""Seconds a compat test may run before the wall-clock guard fails it."""

# --- platform facts (Node's common.isLinux, common.hasIPv6, ...) ----------------

is_linux = sys.platform.startswith('linux')
is_windows = sys.platform == 'win32'
is_macos = sys.platform == 'darwin'
is_freebsd = sys.platform.startswith('freebsd')
is_openbsd = sys.platform.startswith('openbsd')
is_sunos = sys.platform.startswith('sunos')
is_aix = sys.platform.startswith('aix')
is_ibmi = False

localhost_ipv4 = '127.0.0.1'

PORT = int(os.environ.get('NODE_COMMON_PORT') or 12346)
"""Node's ``common.PORT``: ``NODE_COMMON_PORT`` from the environment, else 12346."""


def _has_ipv6() -> bool:
    # Node: some interface whose name matches /lo/ has an IPv6 address.
    try:
        with open('/proc/net/if_inet6', encoding='ascii') as table:
            return any('lo' in line.split()[-1] for line in table if line.split())
    except OSError:
        pass
    if not socket.has_ipv6:
        return False
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as probe:
            probe.bind(('::1', 0))
    except OSError:
        return False
    return True


has_ipv6 = _has_ipv6()


def has_multi_localhost() -> bool:
    """Node's ``common.hasMultiLocalhost()``: can a socket bind 127.0.0.2?"""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.bind(('127.0.0.2', 0))
    except OSError:
        return False
    return True


def platform_timeout(ms: float) -> float:
    """Node's ``common.platformTimeout(ms)``: the identity on this platform."""
    return ms


# --- call-count checks (Node's mustCall family) -----------------------------------

def _call_site(depth: int) -> str:
    """``file:line`` of the frame ``depth`` levels above the caller of this function."""
    frame = sys._getframe(depth + 1)
    path = Path(frame.f_code.co_filename)
    try:
        shown = str(path.resolve().relative_to(ROOT))
    except ValueError:
        shown = str(path)
    return f'{shown}:{frame.f_lineno}'


def _function_name(fn: Callable[..., Any] | None, default: str) -> str:
    if fn is None:
        return default
    name = getattr(fn, '__name__', '')
    return name if name and name != '<lambda>' else '<anonymous>'


class _CallCheck:
    """One registered expectation: ``name`` is called exactly/at least N times."""

    __slots__ = ('name', 'site', 'exact', 'minimum', 'actual')

    def __init__(self, name: str, site: str, exact: int | None, minimum: int | None) -> None:
        self.name = name
        self.site = site
        self.exact = exact
        self.minimum = minimum
        self.actual = 0

    def failed(self) -> bool:
        if self.minimum is not None:
            return self.actual < self.minimum
        return self.actual != self.exact

    def report(self) -> str:
        expected = (f'at least {self.minimum}' if self.minimum is not None
                    else f'exactly {self.exact}')
        return (f'Mismatched {self.name} function calls. Expected {expected}, '
                f'actual {self.actual}.\n    at {self.site}')


_call_checks: list[_CallCheck] = []
_failures: list[str] = []   # assertion failures recorded even if some code swallows them


def _noop(*args: Any) -> None:
    pass


def _counted(fn: Callable[..., Any], name: str, site: str, exact: int | None,
             minimum: int | None) -> Callable[..., Any]:
    check = _CallCheck(name, site, exact, minimum)
    _call_checks.append(check)

    @functools.wraps(fn)
    def counted(*args: Any, **kwargs: Any) -> Any:
        check.actual += 1
        return fn(*args, **kwargs)

    return counted


def must_call(fn: Callable[..., Any] | int | None = None, exact: int = 1) -> Callable[..., Any]:
    """Node's ``common.mustCall(fn, exact)``: ``fn`` must be called exactly ``exact`` times.

    ``must_call(2)`` is ``must_call(None, 2)``, as in Node. The count is checked
    when the process ends (in ``run``), with the place of this call in the report.
    """
    if isinstance(fn, int):
        exact = fn
        fn = None
    site = _call_site(1)
    return _counted(fn or _noop, _function_name(fn, 'noop'), site, exact, None)


def must_call_at_least(fn: Callable[..., Any] | int | None = None,
                       minimum: int = 1) -> Callable[..., Any]:
    """Node's ``common.mustCallAtLeast(fn, minimum)``."""
    if isinstance(fn, int):
        minimum = fn
        fn = None
    site = _call_site(1)
    return _counted(fn or _noop, _function_name(fn, 'noop'), site, None, minimum)


def must_not_call(msg: str | None = None) -> Callable[..., NoReturn]:
    """Node's ``common.mustNotCall(msg)``: a function that fails the test when called.

    Besides raising ``AssertionError`` (Node's ``assert.fail``), the failure is
    recorded so that ``run`` reports it even if the caller swallowed the exception.
    """
    site = _call_site(1)

    def must_not_call(*args: Any, **kwargs: Any) -> NoReturn:
        text = f'{msg or "function should not have been called"} at {site}'
        shown = [repr(arg) for arg in args] + [f'{k}={v!r}' for k, v in kwargs.items()]
        if shown:
            text += '\ncalled with arguments: ' + ', '.join(shown)
        _failures.append(text)
        raise AssertionError(text)

    return must_not_call


def must_succeed(fn: Callable[..., Any] | None = None, exact: int = 1) -> Callable[..., Any]:
    """Node's ``common.mustSucceed(fn, exact)``: a callback ``(err, *args)``.

    ``err`` must be None (``assert.ifError`` raises ``err`` itself otherwise);
    ``fn(*args)`` is then called. Counted like ``must_call``.
    """
    site = _call_site(1)

    def succeed(err: object = None, *args: Any) -> Any:
        if err is not None:
            if isinstance(err, BaseException):
                raise err
            raise AssertionError(f'ifError got unwanted exception: {err!r}')
        if fn is not None:
            return fn(*args)
        return None

    return _counted(succeed, _function_name(fn, 'noop'), site, exact, None)


class Countdown:
    """Node's ``test/common/countdown``: ``callback`` runs when ``dec()`` has been
    called ``limit`` times; it must run exactly once (``must_call``)."""

    def __init__(self, limit: int, callback: Callable[[], object]) -> None:
        assert isinstance(limit, (int, float)) and not isinstance(limit, bool), limit
        assert callable(callback), callback
        self._limit = limit
        self._callback = _counted(callback, _function_name(callback, 'noop'), _call_site(1),
                                  1, None)

    def dec(self) -> int | float:
        """One less to go; returns how many remain."""
        assert self._limit > 0, 'Countdown expired'
        self._limit -= 1
        if self._limit == 0:
            self._callback()
        return self._limit

    @property
    def remaining(self) -> int | float:
        return self._limit


# --- error expectations (Node's expectsError and assert.throws) --------------------

_MISSING = object()


def _same(actual: object, expected: object) -> bool:
    # Strict equality: True == 1 in Python, not in JS.
    return actual == expected and isinstance(actual, bool) == isinstance(expected, bool)


def _error_name(err: BaseException) -> str:
    # Node's err.name: dgram_uv's errors carry it; other exceptions use their class name.
    name = getattr(err, 'name', None)
    return name if isinstance(name, str) else builtins.type(err).__name__


def node_string(err: BaseException) -> str:
    """What ``String(err)`` gives in Node: ``'TypeError [ERR_X]: message'``, ``'Error: message'``.

    Node's coded errors (dgram_uv's ``NodeError``) show their code in brackets;
    system errors and other exceptions show only their name.
    """
    from dgram_uv import errors

    if isinstance(err, errors.NodeError):
        return f'{_error_name(err)} [{err.code}]: {err}'
    return f'{_error_name(err)}: {err}'


class ErrorSpec:
    """What an expected error must look like: Node's ``assert.throws`` object form.

    ``code``, ``name`` and ``attrs`` must equal the error's attributes;
    ``message`` is ``str(err)`` exactly, or a compiled regex that must match
    (``re.search``, like ``assert.match``); ``type`` is an ``isinstance`` check.
    """

    def __init__(self, code: str | None = None, name: str | None = None,
                 message: str | re.Pattern[str] | None = None,
                 type: builtins.type[BaseException] | tuple[builtins.type[BaseException], ...]
                 | None = None,
                 **attrs: Any) -> None:
        self.code = code
        self.name = name
        self.message = message
        self.type = type
        self.attrs = attrs

    def check(self, err: object) -> None:
        """Raise ``AssertionError`` describing every way ``err`` differs from this spec."""
        if not isinstance(err, BaseException):
            raise AssertionError(f'expected an exception, got {err!r}')
        problems: list[str] = []
        if self.type is not None and not isinstance(err, self.type):
            problems.append(f'type: expected {self.type!r}, got {builtins.type(err)!r}')
        expected: dict[str, Any] = dict(self.attrs)
        if self.code is not None:
            expected['code'] = self.code
        for key, value in expected.items():
            actual = getattr(err, key, _MISSING)
            if actual is _MISSING:
                problems.append(f'{key}: expected {value!r}, the error has no {key!r}')
            elif not _same(actual, value):
                problems.append(f'{key}: expected {value!r}, got {actual!r}')
        if self.name is not None and _error_name(err) != self.name:
            problems.append(f'name: expected {self.name!r}, got {_error_name(err)!r}')
        if self.message is not None:
            text = str(err)
            if isinstance(self.message, re.Pattern):
                if not self.message.search(text):
                    problems.append(f'message: {text!r} does not match {self.message.pattern!r}')
            elif text != self.message:
                problems.append(f'message: expected {self.message!r}, got {text!r}')
        if problems:
            raise AssertionError(
                f'unexpected error {builtins.type(err).__name__}: {err}\n  '
                + '\n  '.join(problems)) from err

    def __repr__(self) -> str:
        fields = {'code': self.code, 'name': self.name, 'message': self.message,
                  'type': self.type, **self.attrs}
        shown = ', '.join(f'{k}={v!r}' for k, v in fields.items() if v is not None)
        return f'ErrorSpec({shown})'


def expects_error(code: str | None = None, name: str | None = None,
                  message: str | re.Pattern[str] | None = None,
                  type: builtins.type[BaseException] | tuple[builtins.type[BaseException], ...]
                  | None = None,
                  *, exact: int = 1, **attrs: Any) -> Callable[..., bool]:
    """Node's ``common.expectsError({...}, exact)``.

    Returns a checker ``check(err, *ignored) -> True`` that validates its first
    argument against an ``ErrorSpec`` and is counted like ``must_call(.., exact)``.
    Use it as an ``'error'`` listener or callback, or as the validator of
    ``assert_throws(fn, checker)`` (which calls it once, as Node's assert.throws does).
    """
    spec = ErrorSpec(code, name, message, type, **attrs)
    site = _call_site(1)

    def expects_error(err: object = None, *ignored: Any) -> bool:
        spec.check(err)
        return True

    return _counted(expects_error, 'expectsError', site, exact, None)


def assert_throws(fn: Callable[[], object],
                  validator: ErrorSpec | re.Pattern[str] | Callable[[BaseException], object]
                  | builtins.type[BaseException] | None = None, /,
                  *, code: str | None = None, name: str | None = None,
                  message: str | re.Pattern[str] | None = None,
                  type: builtins.type[BaseException] | tuple[builtins.type[BaseException], ...]
                  | None = None,
                  **attrs: Any) -> BaseException:
    """Node's ``assert.throws(fn, validator)``; returns the exception raised.

    The validator is either keyword arguments (Node's object form: ``code=``,
    ``name=``, ``message=`` str or regex, ``type=``, other attributes), an
    ``ErrorSpec``, an exception class, a compiled regex (searched in
    ``node_string(err)``, as Node tests a RegExp against ``String(err)``), or a
    function (e.g. an ``expects_error`` checker) that must return True.
    """
    try:
        fn()
    except Exception as err:
        if isinstance(validator, ErrorSpec):
            validator.check(err)
        elif isinstance(validator, re.Pattern):
            if not validator.search(node_string(err)):
                raise AssertionError(
                    f'The input did not match the regular expression {validator.pattern!r}. '
                    f'Input: {node_string(err)!r}') from err
        elif isinstance(validator, builtins.type):
            if not isinstance(err, validator):
                raise AssertionError(
                    f'expected {validator.__name__}, got {builtins.type(err).__name__}: {err}'
                ) from err
        elif validator is not None:
            if validator(err) is not True:
                raise AssertionError(
                    f'the validation function is expected to return "true". '
                    f'Received {validator!r} for {err!r}') from err
        if code is not None or name is not None or message is not None or type is not None \
                or attrs:
            ErrorSpec(code, name, message, type, **attrs).check(err)
        return err
    raise AssertionError('Missing expected exception.')


assert_raises = assert_throws


# --- util.inspect of an error --------------------------------------------------------

_HEADER_ONLY = frozenset({'name', 'message'})   # non-enumerable in Node: the first line only


def _inspect_value(value: object, indent: str) -> str:
    if isinstance(value, bool):
        return 'true' if value else 'false'
    if value is None:
        return 'null'
    if isinstance(value, str):
        return repr(value) if "'" not in value else f'"{value}"'
    if isinstance(value, Mapping):
        inner = indent + '  '
        entries = [f'{key}: {_inspect_value(item, inner)}' for key, item in value.items()]
        if not entries:
            return '{}'
        # Node's reduceToSingleString/isBelowBreakLength (breakLength 80): one line
        # when the entries are short enough, else one entry per line.
        start = len(entries) + len(indent) + 1 + 10
        total = len(entries) + start + sum(map(len, entries))
        if total <= 80 and not any('\n' in entry for entry in entries):
            return '{ ' + ', '.join(entries) + ' }'
        return '{\n' + ',\n'.join(inner + entry for entry in entries) + f'\n{indent}}}'
    return repr(value)


def inspect_error(err: BaseException) -> str:
    """Node's ``util.inspect(err)`` with the stack lines removed, for a dgram_uv error.

    The first line is ``node_string(err)``; then come the error's properties, one
    per line, as Node lists an error's own enumerable properties: ``code`` first
    (Node's errors set it first), then the attributes the error holds (in the
    order they were set), then those its class computes with a property (Node's
    accessors: ``[Getter/Setter: value]``, or ``[Getter: value]`` without a
    setter). ``name`` and ``message`` (shown in the first line, non-enumerable
    in Node) and Python's own exception machinery (``args``, methods) are not
    listed: every other public attribute is, so an attribute Node's error lacks
    shows up. A mapping is printed on one line when short, as Node prints an
    object, else one entry per line.
    """
    fields: dict[str, str] = {}
    for klass in reversed(builtins.type(err).__mro__):
        if not klass.__module__.startswith('dgram_uv'):
            continue
        for key, value in vars(klass).items():
            if key.startswith('_') or key in _HEADER_ONLY or isinstance(value, property) \
                    or callable(value) or isinstance(value, (classmethod, staticmethod)):
                continue
            fields[key] = _inspect_value(getattr(err, key), '  ')
    for key, value in vars(err).items():
        if not key.startswith('_') and key not in _HEADER_ONLY:
            fields[key] = _inspect_value(value, '  ')
    for klass in reversed(builtins.type(err).__mro__):
        for key, value in vars(klass).items():
            if isinstance(value, property) and not key.startswith('_') \
                    and key not in _HEADER_ONLY:
                kind = 'Getter/Setter' if value.fset is not None else 'Getter'
                fields[key] = f'[{kind}: {_inspect_value(getattr(err, key), "  ")}]'
    ordered = sorted(fields.items(), key=lambda item: item[0] != 'code')
    lines = [f'  {key}: {shown}' for key, shown in ordered]
    if not lines:
        return node_string(err)
    return node_string(err) + '\n' + ',\n'.join(lines) + '\n}'


# --- values (Node's common.invalidArgTypeHelper, common.getArrayBufferViews) ----------

def invalid_arg_type_helper(value: object) -> str:
    """Node's ``common.invalidArgTypeHelper``: the " Received ..." end of a message.

    It describes the Python value, as dgram_uv's messages must: `` Received None``,
    `` Received function foo``, `` Received an instance of dict``,
    `` Received type int (5)``, `` Received type str ('x')``.
    """
    if value is None:
        return ' Received None'
    if isinstance(value, (bool, int, float, str)):
        shown = repr(value)
        if len(shown) > 28:
            shown = f'{shown[:25]}...'
        return f' Received type {builtins.type(value).__name__} ({shown})'
    if isinstance(value, builtins.type) or inspect.isfunction(value) or inspect.ismethod(value) \
            or inspect.isbuiltin(value):
        return f' Received function {getattr(value, "__name__", "")}'
    return f' Received an instance of {builtins.type(value).__name__}'


# Node's ArrayBufferView types and the memoryview format that plays each; None is a
# plain byte view (DataView) and 'clamped' a bytearray copy (Uint8ClampedArray).
_ARRAY_BUFFER_VIEWS: tuple[tuple[str, str | None], ...] = (
    ('Int8Array', 'b'), ('Uint8Array', 'B'), ('Uint8ClampedArray', 'clamped'),
    ('Int16Array', 'h'), ('Uint16Array', 'H'), ('Int32Array', 'i'), ('Uint32Array', 'I'),
    ('Float32Array', 'f'), ('Float64Array', 'd'), ('BigInt64Array', 'q'),
    ('BigUint64Array', 'Q'), ('DataView', None),
)


def get_array_buffer_views(buf: bytes) -> list[bytearray | memoryview]:
    """Node's ``common.getArrayBufferViews(buf)``: ``buf`` seen through every view type.

    Each of Node's TypedArrays becomes a ``memoryview`` cast to the matching
    format, kept only when the byte length is a multiple of its item size, as in Node.
    """
    views: list[bytearray | memoryview] = []
    for _name, fmt in _ARRAY_BUFFER_VIEWS:
        if fmt == 'clamped':
            views.append(bytearray(buf))
        elif fmt is None:
            views.append(memoryview(buf))
        elif len(buf) % struct.calcsize(fmt) == 0:
            views.append(memoryview(buf).cast(fmt))  # type: ignore[call-overload]
    return views


# --- warnings (Node's process 'warning' event and common.expectWarning) -------------

_Warned = Callable[[Warning], object]
_warning_listeners: list[_Warned] = []
_expected_warnings: dict[str, _Warned] = {}
_original_showwarning = warnings.showwarning
_hooked = False


def _warning_names(warning: Warning) -> list[str]:
    # Node's warning.name, most specific first: 'NodeDeprecationWarning', 'DeprecationWarning'...
    return [cls.__name__ for cls in builtins.type(warning).__mro__
            if issubclass(cls, Warning)]


def _show_warning(message: Warning | str, category: builtins.type[Warning], filename: str,
                  lineno: int, file: TextIO | None = None, line: str | None = None) -> None:
    warning = message if isinstance(message, Warning) else category(message)
    for listener in list(_warning_listeners):
        listener(warning)
    if _expected_warnings:
        for name in _warning_names(warning):
            if name in _expected_warnings:
                _expected_warnings[name](warning)
                break
        else:
            text = (f'"{_warning_names(warning)[0]}" was triggered without being expected.\n'
                    f'{warning!r} ({filename}:{lineno})')
            _failures.append(text)
            raise TypeError(text)
    if not _warning_listeners and not _expected_warnings:
        _original_showwarning(message, category, filename, lineno, file, line)


def _hook_warnings() -> None:
    # Python filters warnings before showing them; Node emits every warning, so
    # show all of them (ResourceWarning is Python's own leak report, not Node's).
    global _hooked
    if not _hooked:
        _hooked = True
        warnings.simplefilter('always')
        warnings.filterwarnings('ignore', category=ResourceWarning)
        warnings.showwarning = _show_warning


def on_warning(listener: Callable[[Warning], object]) -> None:
    """Node's ``process.on('warning', listener)``: called with every warning issued."""
    _hook_warnings()
    _warning_listeners.append(listener)


def expects_warning(category_or_name: builtins.type[Warning] | str,
                    message: str | re.Pattern[str] | Sequence[tuple[Any, str | None]]
                    | Mapping[str, Any],
                    code: str | None = None) -> None:
    """Node's ``common.expectWarning(name, expected, code)``.

    ``message`` is the one expected message (str or regex) with ``code``, a list
    of ``(message, code)`` pairs, or a mapping ``{code: message}``. Warnings
    whose class (or a base class) has this name must come in this order with
    these messages and codes; each expected warning must come exactly once, and
    a warning of a name nobody expects fails the test.
    """
    name = (category_or_name if isinstance(category_or_name, str)
            else category_or_name.__name__)
    expected: list[tuple[Any, str | None]]
    if isinstance(message, (str, re.Pattern)):
        expected = [(message, code)]
    elif isinstance(message, Mapping):
        expected = [(text, key) for key, text in message.items()]
    else:
        expected = list(message)
    if name == 'DeprecationWarning':
        for _, each_code in expected:
            assert each_code, f'Missing deprecation code: {expected}'
    site = _call_site(1)

    def expect_warning(warning: Warning) -> None:
        if not expected:
            text = f'Unexpected extra warning received: {warning!r}'
            _failures.append(text)
            raise AssertionError(text)
        text_expected, code_expected = expected.pop(0)
        problems: list[str] = []
        text = str(warning)
        if isinstance(text_expected, re.Pattern):
            if not text_expected.search(text):
                problems.append(f'message {text!r} does not match {text_expected.pattern!r}')
        elif text != text_expected:
            problems.append(f'message: expected {text_expected!r}, got {text!r}')
        actual_code = getattr(warning, 'code', None)
        if actual_code != code_expected:
            problems.append(f'code: expected {code_expected!r}, got {actual_code!r}')
        if problems:
            report = f'{name} at {site}: ' + '; '.join(problems)
            _failures.append(report)
            raise AssertionError(report)

    _hook_warnings()
    _expected_warnings[name] = _counted(expect_warning, 'expectWarning', site,
                                        len(expected), None)


# --- async functions (Node's async/await on the one event loop) -----------------------

def start_async(coro: Coroutine[Any, Any, Any],
                on_done: Callable[[Any], object] | None = None) -> None:
    """Run ``coro`` on the dgram_uv loop, as calling a JS async function does.

    The coroutine runs synchronously up to its first suspension, as in JS. When
    it awaits a future (anything with ``add_done_callback``) it resumes, in a
    next tick, with the future's result; a bare ``yield`` (``asyncio.sleep(0)``)
    resumes in the next check phase. ``on_done(result)`` is called when it
    returns; an exception it raises escapes to the loop (an unhandled rejection
    ends a Node test process too).
    """
    from dgram_uv import timers

    def step(value: Any = None, error: BaseException | None = None) -> None:
        try:
            yielded = coro.send(value) if error is None else coro.throw(error)
        except StopIteration as stop:
            if on_done is not None:
                on_done(stop.value)
            return
        add_done_callback = getattr(yielded, 'add_done_callback', None)
        if add_done_callback is None:
            timers.set_immediate(step)
            return

        def resume(future: Any) -> None:
            try:
                result = future.result()
            except BaseException as exc:
                timers.next_tick(step, None, exc)
            else:
                timers.next_tick(step, result)

        add_done_callback(resume)

    step()


# --- the process ----------------------------------------------------------------

class WallClockTimeout(Exception):
    """The test ran longer than its wall-clock budget."""


def skip(msg: str) -> NoReturn:
    """Node's ``common.skip(msg)``: print the TAP skip line and end the process with 0."""
    print(f'1..0 # Skipped: {msg}')
    raise SystemExit(0)


# --- failures in the test's other processes ---------------------------------------
#
# A Node test's cluster workers and forked children run test code too, yet the
# test's own process only sees how they exit, and only where the test checks it
# (many of Node's tests never look at a worker's exit code). So every process
# of one compat test shares a directory (its path in FAILURES_ENV, inherited
# through the environment): a process other than the test's own that fails
# (an uncaught exception, a failed assertion, a mismatched call count) writes
# its report there and exits 1, and the test's own process, when it ends,
# prints every report found there and exits 1.

FAILURES_ENV = 'DGRAM_UV_COMPAT_FAILURES'
"""The directory where the test's other processes leave their failure reports."""
TOP_ENV = 'DGRAM_UV_COMPAT_TOP'
"""The pid of the test's own process (set by ``run`` there; empty or absent before)."""
CHILD_FAILED = 'a child process of this test failed'
_owned_failures_dir: str | None = None


def _is_top() -> bool:
    return os.environ.get(TOP_ENV) in (None, '', str(os.getpid()))


def _claim_top() -> None:
    # In the test's own process: what its workers and children inherit.
    global _owned_failures_dir
    if not _is_top():
        return
    os.environ[TOP_ENV] = str(os.getpid())
    if not os.environ.get(FAILURES_ENV):
        _owned_failures_dir = tempfile.mkdtemp(prefix='dgram-uv-compat-')
        os.environ[FAILURES_ENV] = _owned_failures_dir


def _describe_process() -> str:
    who = f'pid {os.getpid()}'
    # A worker set up by dgram_uv has its id there (NODE_UNIQUE_ID has left the
    # environment, as in Node); before that, only the environment has it.
    worker = getattr(sys.modules.get('dgram_uv._internal.cluster'), 'current_worker', None)
    worker_id = worker.id if worker is not None else os.environ.get('NODE_UNIQUE_ID')
    if worker_id:
        who += f', cluster worker {worker_id}'
    argv = getattr(sys, 'orig_argv', [sys.executable, *sys.argv])
    return f'{who}: python {" ".join(argv[1:])}'


def _record_failure(report: str) -> None:
    """In a worker or child of the test: leave ``report`` for the test's own process."""
    directory = os.environ.get(FAILURES_ENV)
    if _is_top() or not directory:
        return
    try:
        with open(os.path.join(directory, f'{os.getpid()}.txt'), 'a', encoding='utf-8') as out:
            out.write(f'{_describe_process()}\n{report.rstrip()}\n')
    except OSError as err:   # the test's process is gone: its output still has ours
        print(f'(could not record this failure for the test: {err})', file=sys.stderr)


def take_child_failures(directory: str | None = None) -> list[str]:
    """The failure reports left by the test's other processes; each is read once."""
    directory = directory or os.environ.get(FAILURES_ENV)
    if not directory or not os.path.isdir(directory):
        return []
    reports = []
    for path in sorted(Path(directory).glob('*.txt'), key=lambda p: p.stat().st_mtime):
        reports.append(path.read_text(encoding='utf-8', errors='replace'))
        path.unlink()
    return reports


def _child_excepthook(exc_type: builtins.type[BaseException], exc: BaseException,
                      tb: Any) -> None:
    # An exception outside run() (e.g. while the module is imported) in a worker.
    _record_failure(''.join(traceback.format_exception(exc_type, exc, tb)))
    sys.__excepthook__(exc_type, exc, tb)


if not _is_top():
    sys.excepthook = _child_excepthook


def _exit(code: int) -> NoReturn:
    if _is_top():
        reports = take_child_failures()
        for report in reports:
            print(f'--- {CHILD_FAILED}: {report.rstrip()}\n---', file=sys.stderr)
        if reports:
            code = code or 1
        if _owned_failures_dir is not None:
            shutil.rmtree(_owned_failures_dir, ignore_errors=True)
    sys.stdout.flush()
    sys.stderr.flush()
    # Leave without finalizing live libuv handles, as a Node process exits.
    os._exit(code)


def _fail(report: str, file: TextIO | None = None) -> None:
    """Print what failed (stdout unless ``file``) and, in a worker or child, record it."""
    print(report.rstrip(), file=file or sys.stdout)
    _record_failure(report)


def run(main: Callable[[], object], *, timeout: float = DEFAULT_TIMEOUT,
        env: Mapping[str, str] | None = None) -> NoReturn:
    """Play a Node process: ``main()``, the loop, then the exit-time call checks.

    Exits 0 when nothing failed; otherwise prints what failed (an uncaught
    exception, a mismatched call count with the place where ``must_call`` was
    created, an assertion recorded by ``must_not_call`` or ``expects_warning``)
    and exits 1. ``SystemExit(n)`` (Node's ``process.exit(n)``) exits ``n``
    and, as in Node, the call counts are checked only when ``n`` is 0.

    Beyond Node: in the test's own process, a failure of any of its cluster
    workers or forked children (reported through ``FAILURES_ENV``) is printed
    and fails the test, whether or not the test checks their exit codes.

    ``env`` plays a Node test's ``// Flags:`` line: when the environment lacks
    these variables, the process first runs itself again with them added, as
    Node's test/common re-spawns a test started without its flags (e.g.
    ``env={'DGRAM_UV_TEST_UDP_NO_TRY_SEND': '1'}`` for ``--test-udp-no-try-send``).
    """
    if env and any(os.environ.get(key) != value for key, value in env.items()):
        sys.stdout.flush()
        sys.stderr.flush()
        os.chdir(ROOT)
        os.execve(sys.executable, child_argv(sys.argv[0], *sys.argv[1:]),
                  {**os.environ, **env})
    _claim_top()

    from dgram_uv import timers
    from dgram_uv._binding import loop as uv_loop

    def on_wall_clock() -> None:
        raise WallClockTimeout(f'test still running after {timeout:g} s (wall-clock guard)')

    # The guard is a dgram_uv timer, unref'd so it never keeps the loop alive
    # (Node's process ends even while an unref'd timer is pending). Raising in
    # it stops the loop, and uv_loop.run() re-raises here. A signal.alarm handler
    # would not do: while uv_run sits in epoll_wait, libuv restarts the wait
    # after EINTR and Python runs signal handlers only once a callback returns
    # to the interpreter. A test stuck in Python code outside the loop is
    # caught by node_test's subprocess timeout instead.
    timers.set_timeout(on_wall_clock, timeout * 1000).unref()
    code = 0
    try:
        main()
        uv_loop.run()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        if exc.code is not None and not isinstance(exc.code, int):
            _fail(str(exc.code), sys.stderr)
    except BaseException as exc:
        _fail(''.join(traceback.format_exception(exc)), sys.stderr)
        _exit(1)
    if code != 0:
        _exit(code)
    reports = [check.report() for check in _call_checks if check.failed()]
    reports += [f'AssertionError: {text}' for text in _failures]
    if reports:
        _fail('\n'.join(reports))
    _exit(1 if reports else 0)


# --- pytest side ----------------------------------------------------------------

def module_name(path: str | os.PathLike[str]) -> str:
    """``compat.test_dgram_bind`` for ``.../compat/test_dgram_bind.py``.

    Node's test/internet files live in compat/internet/ (``compat.internet.test_dgram_connect``)
    because two of them share their name with a test/parallel file.
    """
    relative = Path(path).resolve().relative_to(ROOT).with_suffix('')
    return '.'.join(relative.parts)


def child_argv(path: str | os.PathLike[str], *args: str) -> list[str]:
    """The command that runs the compat file ``path`` in a new Python process.

    Node's ``child_process.fork(__filename, ['child'])`` becomes
    ``subprocess.Popen(common.child_argv(__file__, 'child'), cwd=common.ROOT)``;
    the child sees ``args`` in ``sys.argv[1:]``.
    """
    return [sys.executable, '-m', module_name(path), *args]


def spawn_child(path: str | os.PathLike[str], *args: str,
                env: Mapping[str, str] | None = None,
                **popen_kwargs: Any) -> subprocess.Popen[bytes]:
    """Start the compat file ``path`` as a child process (Node's ``fork``)."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.Popen(child_argv(path, *args), cwd=ROOT, env=full_env, **popen_kwargs)


SKIP_LINE = re.compile(r'^1\.\.0 # Skipped: ?(.*)$', re.M)
"""What ``skip`` prints (Node's TAP skip line)."""


def manifest_status(path: str | os.PathLike[str]) -> str | None:
    """The status MANIFEST.tsv gives the compat file ``path``; None if it has no row."""
    relative = str(Path(path).resolve().relative_to(ROOT))
    with open(ROOT / 'compat' / 'MANIFEST.tsv', encoding='utf-8') as manifest:
        for line in manifest:
            fields = line.rstrip('\n').split('\t')
            if len(fields) >= 3 and fields[1] == relative:
                return fields[2]
    return None


def node_test(path: str | os.PathLike[str], *, env: Mapping[str, str] | None = None,
              args: Iterable[str] = (), timeout: float = DEFAULT_TIMEOUT + 30
              ) -> Callable[[], None]:
    """A pytest test function that runs the compat file ``path`` in a fresh process.

    The process is ``python -m compat.<module> *args`` with the repository root
    as working directory and ``env`` added to the environment; the test passes
    when it exits 0 within ``timeout`` seconds and none of its workers or
    children reported a failure (see ``FAILURES_ENV``), and shows its output
    otherwise. A test that skips itself (``skip``) is reported as skipped by
    pytest, unless MANIFEST.tsv says it passes: then it fails.
    """
    extra_args = tuple(args)
    extra_env = dict(env or {})

    def test() -> None:
        argv = child_argv(path, *extra_args)
        failures_dir = tempfile.mkdtemp(prefix='dgram-uv-compat-')
        full_env = {**os.environ, **extra_env, FAILURES_ENV: failures_dir, TOP_ENV: ''}
        try:
            try:
                proc = subprocess.run(argv, cwd=ROOT, env=full_env, capture_output=True,
                                      timeout=timeout, check=False)
            except subprocess.TimeoutExpired as exc:
                late = ''.join(f'--- {CHILD_FAILED}: {r}' for r in take_child_failures(
                    failures_dir))
                raise AssertionError(
                    f'{" ".join(argv[1:])} did not exit within {timeout:g} s\n'
                    f'--- stdout\n{_text(exc.stdout)}\n--- stderr\n{_text(exc.stderr)}\n'
                    f'{late}') from None
            # Reports the test's process did not see: written after it ended.
            late = take_child_failures(failures_dir)
        finally:
            shutil.rmtree(failures_dir, ignore_errors=True)
        shown = (f'--- stdout\n{_text(proc.stdout)}\n--- stderr\n{_text(proc.stderr)}'
                 + ''.join(f'\n--- {CHILD_FAILED} after the test ended: {r}' for r in late))
        assert proc.returncode == 0 and not late, (
            f'{" ".join(argv[1:])} exited with {proc.returncode}\n{shown}')
        skipped = SKIP_LINE.search(_text(proc.stdout))
        if skipped:
            assert manifest_status(path) != 'pass', (
                f'{" ".join(argv[1:])} skipped itself ({skipped.group(1)}), but '
                f'compat/MANIFEST.tsv says it passes\n{shown}')
            import pytest
            pytest.skip(skipped.group(1))

    test.__name__ = Path(path).stem
    test.__qualname__ = test.__name__
    test.__doc__ = f'Runs {Path(path).name} in a fresh Python process.'
    return test


def _text(data: bytes | str | None) -> str:
    if data is None:
        return ''
    return data if isinstance(data, str) else data.decode('utf-8', 'replace')
