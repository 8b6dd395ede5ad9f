"""Node's EventEmitter (lib/events.js) for Python.

Listeners are called with the emitted arguments only: Python has no ``this``,
so a listener that needs its emitter closes over it.  Event names are any
hashable value; ``error_monitor`` plays the part of Node's ``errorMonitor``
symbol.  Every public snake_case method has Node's camelCase name as an alias
(``addListener``, ``removeAllListeners`` ...), made by :func:`camel_aliases`,
which other modules reuse for their own classes.

Storage: ``_events`` maps an event name to a tuple of raw listeners (once
wrappers included).  A tuple is replaced, never mutated, on every add and
remove, so ``emit`` iterates it without copying and a listener removed during
an emit is still called by that emit, as in Node.
"""

from __future__ import annotations

import sys
import types
import warnings
from collections.abc import Callable, Hashable
from typing import Any, ClassVar, Final, Self

from . import errors
from .jsvalues import to_string
from .naming import camel_aliases
from .validators import validate_function, validate_number

__all__ = [
    'EventEmitter', 'MaxListenersExceededWarning', 'error_monitor', 'errorMonitor',
    'get_default_max_listeners', 'set_default_max_listeners',
]

Listener = Callable[..., object]



class _Symbol:
    """A unique event name, printed like a JS symbol (``Symbol(events.errorMonitor)``)."""

    __slots__ = ('description',)

    def __init__(self, description: str) -> None:
        self.description = description

    def __repr__(self) -> str:
        return f'Symbol({self.description})'


error_monitor: Final = _Symbol('events.errorMonitor')
"""Node's ``events.errorMonitor``: its listeners see an ``'error'`` emit before the
``'error'`` listeners do, and do not count as handling it."""
errorMonitor: Final = error_monitor

# Node's EventEmitter.defaultMaxListeners (the public ``events`` module gives
# it Node's validating setter).
_default_max_listeners: float = 10


def get_default_max_listeners() -> float:
    """Node's ``EventEmitter.defaultMaxListeners``."""
    return _default_max_listeners


def set_default_max_listeners(n: object) -> None:
    """Set ``defaultMaxListeners``; a negative or non-number value raises as in Node."""
    global _default_max_listeners
    _default_max_listeners = validate_number(n, 'defaultMaxListeners', 0)


class MaxListenersExceededWarning(RuntimeWarning):
    """Node's leak warning: more than ``get_max_listeners()`` listeners for one event.

    Node emits it once per event (until the listeners drop back to one) through
    ``process.emitWarning``; here it goes through :func:`warnings.warn`, so
    Python's warning filters decide how often it is shown.
    """

    name: ClassVar[str] = 'MaxListenersExceededWarning'

    def __init__(self, message: str, emitter: EventEmitter, type: Hashable,
                 count: int) -> None:
        super().__init__(message)
        self.message = message
        self.emitter = emitter
        self.type = type
        self.count = count

    def __str__(self) -> str:
        return self.message


class _OnceWrapper:
    """Node's onceWrapper: removes itself, then calls ``listener`` (the original)."""

    __slots__ = ('target', 'event', 'listener', 'fired')

    def __init__(self, target: EventEmitter, event: Hashable, listener: Listener) -> None:
        self.target = target
        self.event = event
        self.listener = listener
        self.fired = False

    def __call__(self, *args: Any) -> object:
        # `fired` guards against a re-entrant emit reaching this wrapper again.
        if self.fired:
            return None
        self.target.remove_listener(self.event, self)
        self.fired = True
        return self.listener(*args)

    def __repr__(self) -> str:
        return f'<once wrapper of {self.listener!r}>'


def _original(raw: Listener) -> Listener | None:
    """The function behind a once wrapper (Node: any function's ``.listener``)."""
    if type(raw) is _OnceWrapper:
        return raw.listener
    # Plain functions only: a Mock would invent a `.listener` attribute.
    if isinstance(raw, types.FunctionType):
        original = raw.__dict__.get('listener')
        if callable(original):
            return original  # type: ignore[no-any-return]
    return None


def _matches(raw: Listener, listener: Listener) -> bool:
    # Node compares both the stored function and the original behind a once wrapper.
    return raw == listener or _original(raw) == listener


def _unwrap(raw: Listener) -> Listener:
    original = _original(raw)
    return raw if original is None else original


def _property_key(event: object) -> Hashable:
    """The event's name as a key: itself, or for a value Python cannot hash (a
    list, a dict) its JS string, as JS keys every property by a string."""
    if type(event) is str:      # the common case, without hash()
        return event
    try:
        hash(event)
    except TypeError:
        return to_string(event)
    return event


def _index(name: Hashable) -> int | None:
    # A JS array index ('0' .. '4294967294', canonical): property keys JS orders first.
    if isinstance(name, str) and name.isascii() and name.isdigit() \
            and (name == '0' or name[0] != '0'):
        number = int(name)
    elif type(name) is int:
        number = name
    else:
        return None
    return number if 0 <= number < 2 ** 32 - 1 else None


def _own_keys(events: dict[Hashable, Any]) -> list[Hashable]:
    """``Reflect.ownKeys(events)``: indices ascending, then strings, then symbols."""
    names = list(events)
    indices = sorted((name for name in names if _index(name) is not None),
                     key=lambda name: _index(name) or 0)
    strings = [name for name in names if _index(name) is None and type(name) is not _Symbol]
    return indices + strings + [name for name in names if type(name) is _Symbol]


# Shared by every emitter that has never had a listener (Node's prototype
# `_events`); never mutated, replaced by a dict of its own on the first add.
_NO_EVENTS: Final[dict[Hashable, tuple[Listener, ...]]] = {}


class EventEmitter:
    """Node's EventEmitter.

    Attributes (private, as in Node): ``_events`` maps event name -> tuple of raw
    listeners; ``_max_listeners`` is None until :meth:`set_max_listeners`;
    ``_leak_warned`` holds the events already warned about.  All three have
    class-level defaults, so a subclass works before (or without) calling
    ``super().__init__()``, like a Node subclass that calls methods before
    ``EventEmitter.call(this)``.
    """

    error_monitor: ClassVar[_Symbol] = error_monitor
    errorMonitor: ClassVar[_Symbol] = error_monitor

    _events: dict[Hashable, tuple[Listener, ...]] = _NO_EVENTS
    _max_listeners: float | None = None
    _leak_warned: frozenset[Hashable] = frozenset()

    def __init__(self) -> None:
        """Node's ``EventEmitter.init``: keeps listeners added before it ran."""
        if self._events is _NO_EVENTS:
            self._events = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # A subclass's own snake_case methods (including overrides of ours) get
        # their camelCase names too, so `sub.removeListener` runs the override.
        camel_aliases(cls)

    # --- emitting ------------------------------------------------------------------

    def emit(self, event: Hashable, *args: Any) -> bool:
        """Call every listener of ``event`` with ``args``, in order; True if there were any.

        ``'error'`` with no ``'error'`` listener raises: the first argument if it
        is an exception, else ``ERR_UNHANDLED_ERROR`` with ``context`` set to it.
        """
        # Hot path (one call per received datagram): a lookup, a compare, a loop.
        try:
            listeners = self._events.get(event)
        except TypeError:   # a name Python cannot hash: JS keys it by its string
            event = _property_key(event)
            listeners = self._events.get(event)
        if event == 'error':
            return self._emit_error(args)
        if listeners is None:
            return False
        for listener in listeners:
            listener(*args)
        return True

    def _emit_error(self, args: tuple[Any, ...]) -> bool:
        events = self._events
        if error_monitor in events:
            self.emit(error_monitor, *args)
        listeners = events.get('error')
        if listeners is None:
            er = args[0] if args else None
            if isinstance(er, BaseException):
                raise er  # Unhandled 'error' event
            try:
                shown = errors.inspect(er)
            except Exception:  # a broken __repr__: Node falls back to String(er)
                shown = object.__repr__(er)
            err = errors.ERR_UNHANDLED_ERROR(shown)
            err.context = er
            raise err  # Unhandled 'error' event
        for listener in listeners:
            listener(*args)
        return True

    # --- adding --------------------------------------------------------------------

    def _add(self, event: Hashable, listener: Listener | None, prepend: bool) -> None:
        listener = validate_function(listener, 'listener')
        event = _property_key(event)
        events = self._events
        if 'newListener' in events:
            # Emitted before the add, with the original function behind a once wrapper.
            self.emit('newListener', event, _unwrap(listener))
            events = self._events  # a 'newListener' listener may have replaced it
        if events is _NO_EVENTS:
            events = self._events = {}
        existing = events.get(event)
        if existing is None:
            events[event] = (listener,)
            return
        listeners = (listener, *existing) if prepend else (*existing, listener)
        events[event] = listeners
        limit = self._get_max()
        if 0 < limit < len(listeners) and event not in self._leak_warned:
            self._leak_warned = self._leak_warned | {event}
            self._warn_leak(event, len(listeners), limit)

    def _warn_leak(self, event: Hashable, count: int, limit: float) -> None:
        shown_limit = int(limit) if float(limit).is_integer() else limit
        message = (f'Possible EventEmitter memory leak detected. {count} {event} listeners '
                   f'added to [{type(self).__name__}]. MaxListeners is {shown_limit}. '
                   'Use emitter.setMaxListeners() to increase limit')
        # Point the warning at the first caller outside this module.
        frame, level = sys._getframe(1), 2
        while frame.f_back is not None and frame.f_code.co_filename == __file__:
            frame, level = frame.f_back, level + 1
        warnings.warn(MaxListenersExceededWarning(message, self, event, count),
                      stacklevel=level)

    def add_listener(self, event: Hashable, listener: Listener) -> Self:
        """Append ``listener`` to ``event``'s listeners (a second add calls it twice)."""
        # The common add (a str name, no listener yet, no 'newListener'
        # listener) without _add's frame: a socket adds three per bind/close.
        events = self._events
        if (type(event) is str and events is not _NO_EVENTS and event not in events
                and 'newListener' not in events and callable(listener)):
            events[event] = (listener,)
            return self
        self._add(event, listener, False)
        return self

    on = add_listener

    def prepend_listener(self, event: Hashable, listener: Listener) -> Self:
        """Put ``listener`` first in ``event``'s listeners."""
        self._add(event, listener, True)
        return self

    def once(self, event: Hashable, listener: Listener) -> Self:
        """Add ``listener`` for the next ``event`` only (through a wrapper with ``.listener``)."""
        listener = validate_function(listener, 'listener')
        self.on(event, _OnceWrapper(self, event, listener))
        return self

    def prepend_once_listener(self, event: Hashable, listener: Listener) -> Self:
        """:meth:`once`, but put first."""
        listener = validate_function(listener, 'listener')
        self.prepend_listener(event, _OnceWrapper(self, event, listener))
        return self

    # --- removing ------------------------------------------------------------------

    def remove_listener(self, event: Hashable, listener: Listener) -> Self:
        """Remove the most recently added instance of ``listener`` (or of a once
        wrapper around it), then emit ``'removeListener'`` with (event, listener)."""
        events = self._events
        if type(event) is str:
            # The common removal: the event's only listener, nobody to tell.
            listeners = events.get(event)
            if (listeners is not None and len(listeners) == 1 and callable(listener)
                    and listeners[0] == listener and 'removeListener' not in events
                    and not self._leak_warned):
                del events[event]
                return self
        listener = validate_function(listener, 'listener')
        event = _property_key(event)
        listeners = events.get(event)
        if listeners is None:
            return self
        for index in range(len(listeners) - 1, -1, -1):
            if _matches(listeners[index], listener):
                break
        else:
            return self
        if len(listeners) == 1:
            del events[event]
            # Node reports the original function when the last listener goes, and
            # the argument otherwise (even when that is a once wrapper).
            reported = _original(listeners[0]) or listener
        else:
            events[event] = listeners[:index] + listeners[index + 1:]
            reported = listener
        if len(listeners) <= 2:
            self._forget_leak(event)
        if 'removeListener' in events:
            self.emit('removeListener', event, reported)
        return self

    off = remove_listener

    def _forget_leak(self, event: Hashable) -> None:
        # Node keeps the "warned" mark on its listener array, which disappears
        # when the event is back to one listener; a later leak warns again.
        if event in self._leak_warned:
            self._leak_warned = self._leak_warned - {event}

    def remove_all_listeners(self, event: Hashable | None = None, *_: object) -> Self:
        """Remove every listener of ``event``, or of every event when it is None.

        With ``'removeListener'`` listeners present, each removal is reported,
        last added first, and ``'removeListener'``'s own listeners go last.
        """
        events = self._events
        if not events:
            return self
        event = None if event is None else _property_key(event)
        if 'removeListener' not in events:
            if event is None:
                self._events = {}
                self._leak_warned = frozenset()
            elif event in events:
                del events[event]
                self._forget_leak(event)
            return self
        if event is not None:
            self._remove_all_of(event)
            return self
        for name in _own_keys(events):
            if name != 'removeListener':
                self._remove_all_of(name)
        self._remove_all_of('removeListener')
        self._events = {}
        self._leak_warned = frozenset()
        return self

    def _remove_all_of(self, event: Hashable) -> None:
        for raw in reversed(self._events.get(event, ())):
            self.remove_listener(event, raw)

    # --- inspecting ----------------------------------------------------------------

    def listeners(self, event: Hashable = None, *_: object) -> list[Listener]:
        """A copy of ``event``'s listeners, once wrappers replaced by their originals."""
        return [_unwrap(raw) for raw in self._events.get(_property_key(event), ())]

    def raw_listeners(self, event: Hashable = None, *_: object) -> list[Listener]:
        """A copy of ``event``'s listeners as stored (once wrappers included)."""
        return list(self._events.get(_property_key(event), ()))

    def listener_count(self, event: Hashable = None, listener: Listener | None = None,
                       *_: object) -> int:
        """How many listeners ``event`` has (only those matching ``listener`` if given)."""
        listeners = self._events.get(_property_key(event), ())
        if listener is None:
            return len(listeners)
        return sum(1 for raw in listeners if _matches(raw, listener))

    def event_names(self, *_: object) -> list[Hashable]:
        """The events that have listeners, in JS's ``Reflect.ownKeys`` order:
        index-like names ascending, then other names in the order first added,
        then symbols (``error_monitor``) in that order."""
        return _own_keys(self._events)

    # --- the leak limit --------------------------------------------------------------

    def set_max_listeners(self, n: float | None = None, *_: object) -> Self:
        """Warn when an event gets more than ``n`` listeners (0 or ``math.inf``: never)."""
        self._max_listeners = validate_number(n, 'setMaxListeners', 0)
        return self

    def get_max_listeners(self, *_: object) -> float:
        """The limit set by :meth:`set_max_listeners`, else ``default_max_listeners``."""
        return self._get_max()

    def _get_max(self) -> float:
        limit = self._max_listeners
        return _default_max_listeners if limit is None else limit

    # Node's names (naming.camel_case of each method; tests/test_naming.py checks).
    addListener = add_listener
    prependListener = prepend_listener
    prependOnceListener = prepend_once_listener
    removeListener = remove_listener
    removeAllListeners = remove_all_listeners
    rawListeners = raw_listeners
    listenerCount = listener_count
    eventNames = event_names
    setMaxListeners = set_max_listeners
    getMaxListeners = get_max_listeners


camel_aliases(EventEmitter)
