"""The part of Node's EventTarget and Event (lib/internal/event_target.js) that
AbortSignal needs, with the web's DOMException.

An exception a listener raises does not stop the others; it is re-raised on
the next tick, as Node reports it as an uncaught exception.
"""

from __future__ import annotations

import warnings
import weakref
from collections.abc import Mapping
from typing import Any, Final

from .._binding import loop
from . import errors, validators
from .jsvalues import UNDEFINED, truthy
from .naming import camel_aliases

__all__ = ['DOMException', 'Event', 'EventTarget', 'ThrownValue']

# WebIDL's legacy numeric codes of the DOMException names (the ones it defines).
_DOM_CODES: Final = {
    'IndexSizeError': 1, 'HierarchyRequestError': 3, 'WrongDocumentError': 4, 'SyntaxError': 12,
    'InvalidCharacterError': 5, 'NoModificationAllowedError': 7, 'NotFoundError': 8,
    'NotSupportedError': 9, 'InvalidStateError': 11, 'InvalidModificationError': 13,
    'NamespaceError': 14, 'InvalidAccessError': 15, 'TypeMismatchError': 17, 'SecurityError': 18,
    'NetworkError': 19, 'AbortError': 20, 'URLMismatchError': 21, 'QuotaExceededError': 22,
    'TimeoutError': 23, 'InvalidNodeTypeError': 24, 'DataCloneError': 25}


class DOMException(Exception):
    """The web's DOMException: ``name``, ``message`` and the legacy numeric ``code``.

    Node's default abort reason is ``DOMException('This operation was aborted',
    'AbortError')`` (code 20); ``AbortSignal.timeout`` aborts with a
    ``'TimeoutError'`` (code 23).
    """

    def __init__(self, message: str = '', name: str = 'Error') -> None:
        super().__init__(message)
        self.message = message
        self.name = name
        self.code = _DOM_CODES.get(name, 0)

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f'DOMException [{self.name}]: {self.message}'


class ThrownValue(Exception):
    """What ``throw_if_aborted`` raises for a reason that is not an exception.

    JS throws any value; Python raises only exceptions, so the value is ``.value``.
    """

    def __init__(self, value: object) -> None:
        super().__init__(value)
        self.value = value


class Event:
    """Node's Event: ``type``, ``target``, ``is_trusted``, ``default_prevented`` ..."""

    def __init__(self, type: str, options: Mapping[str, Any] | None = None) -> None:
        self._type = str(type)
        self._cancelable = truthy(options.get('cancelable')) if options is not None else False
        self._trusted = False
        self._prevented = False
        self._stop = False
        self._dispatching = False
        self._target: EventTarget | None = None

    type = property(lambda self: self._type)
    target = property(lambda self: self._target)
    is_trusted = property(lambda self: self._trusted)
    cancelable = property(lambda self: self._cancelable)

    @property
    def current_target(self) -> EventTarget | None:
        """The target while a listener runs; Node stops telling after the first one."""
        return self._target if self._dispatching else None

    @property
    def default_prevented(self) -> bool:
        return self._cancelable and self._prevented

    def prevent_default(self) -> None:
        self._prevented = True

    def stop_immediate_propagation(self) -> None:
        """Listeners after the current one are not called."""
        self._stop = True

    def __repr__(self) -> str:
        return f"Event {{ type: '{self._type}', isTrusted: {str(self._trusted).lower()} }}"

    # Node's names (naming.camel_case of each method; tests/test_naming.py checks).
    currentTarget = current_target
    defaultPrevented = default_prevented
    preventDefault = prevent_default
    stopImmediatePropagation = stop_immediate_propagation


class _Node:
    """A listener in its type's linked list (the list's head holds ``size``), as in Node.

    A linked list gives Node's order when listeners change mid-dispatch: a
    removed listener is skipped, one added behind the running one is called.
    """

    __slots__ = ('listener', 'capture', 'once', 'resist', 'removed', 'size', 'prev', 'next')

    def __init__(self, listener: Any = None, capture: bool = False, once: bool = False,
                 resist: bool = False) -> None:
        self.listener, self.capture, self.once, self.resist = listener, capture, once, resist
        self.removed, self.size = False, 0
        self.prev: _Node | None = None
        self.next: _Node | None = None


class _Handler:
    """The listener behind an ``on<event>`` attribute; it keeps its place when reset."""

    def __init__(self, handler: object) -> None:
        self.handler = handler

    def __call__(self, event: Event) -> None:
        if callable(self.handler):
            self.handler(event)


def _rethrow(err: BaseException) -> None:
    raise err


class EventTarget:
    """Node's EventTarget: ``add_event_listener``, ``remove_event_listener``, ``dispatch_event``.

    A listener is a callable or an object with ``handle_event``/``handleEvent``,
    called with the Event.  ``options`` is a Mapping (``once``, ``capture``,
    ``signal``) or a bool (capture).  Node's ``passive`` has no use here.
    """

    def __init__(self) -> None:
        self._events: dict[str, _Node] = {}
        self._handlers: dict[str, _Handler] = {}

    def add_event_listener(self, type: str, listener: Any,
                           options: Mapping[str, Any] | bool | None = None) -> None:
        """Add ``listener`` for ``type`` unless it is there already (with the same capture)."""
        if isinstance(options, bool):
            options = {'capture': options}
        opts = validators.validate_object(options, 'options') if options is not None else {}
        once, capture = truthy(opts.get('once')), truthy(opts.get('capture'))
        # An absent signal is undefined; a None one is null, which Node rejects.
        signal = opts.get('signal', UNDEFINED)
        validators.validate_abort_signal(signal, 'options.signal')
        if truthy(signal):
            if truthy(signal.aborted):
                return
            target = weakref.ref(self)

            def remove(_event: Event) -> None:
                owner = target()
                if owner is not None:
                    owner.remove_event_listener(type, listener, {'capture': capture})

            signal._add(str(type), remove, once=True, resist=True)
        if listener is None:
            # Node emits an AddEventListenerArgumentTypeWarning and adds nothing.
            warnings.warn(f'addEventListener called with {listener} which has no effect.',
                          RuntimeWarning, stacklevel=2)
            return
        _validate_listener(listener)
        self._add(str(type), listener, once, capture)

    def _add(self, type: str, listener: Any, once: bool = False, capture: bool = False,
             resist: bool = False) -> None:
        root = self._events.get(type)
        if root is None:
            root = self._events[type] = _Node()
        last: _Node = root
        while last.next is not None:
            last = last.next
            if last.listener is listener and last.capture == capture:
                return
        node = _Node(listener, capture, once, resist)
        node.prev, last.next = last, node
        root.size += 1
        root.resist = root.resist or resist
        self._on_new_listener(type, root.size, resist)

    def remove_event_listener(self, type: str, listener: Any,
                              options: Mapping[str, Any] | bool | None = None) -> None:
        """Remove ``listener`` for ``type``; an unknown listener is ignored."""
        if listener is None:
            return
        _validate_listener(listener)
        # Node reads `options?.capture`, so a bare bool does not count here.
        capture = isinstance(options, Mapping) and options.get('capture') is True
        root = self._events.get(str(type))
        node = root.next if root is not None else None
        while root is not None and node is not None:
            if node.listener is listener and node.capture == capture:
                self._unlink(str(type), root, node)
                return
            node = node.next

    def _unlink(self, type: str, root: _Node, node: _Node) -> None:
        node.removed = True
        assert node.prev is not None
        # node.next stays, so a dispatch standing on `node` still goes on.
        node.prev.next = node.next
        if node.next is not None:
            node.next.prev = node.prev
        root.size -= 1
        # Drop the list only when empty: an on<event> handler set to None keeps
        # its place at size 0 (Node drops the list, then fails to set it again).
        if root.next is None and self._events.get(type) is root:
            del self._events[type]
        self._on_removed_listener(type, root.size)

    def dispatch_event(self, event: Event) -> bool:
        """Call the listeners of ``event.type`` in order; False if the default was prevented."""
        if not isinstance(event, Event):
            raise errors.ERR_INVALID_ARG_TYPE('event', 'Event', event)
        if event._dispatching:
            raise errors.ERR_EVENT_RECURSION(event.type)
        event._target = self
        event._dispatching = True
        root = self._events.get(event.type) or _Node()
        node = root.next
        # Node goes on past stop_immediate_propagation() when the list ever held
        # one of its own listeners (the remover of a `signal` option).
        while node is not None and (not event._stop or root.resist):
            following = node.next
            if node.removed or (event._stop and not node.resist):
                node = following
                continue
            if node.once:
                self._unlink(event.type, root, node)
            try:
                listener = node.listener
                if not callable(listener):
                    listener = getattr(listener, 'handle_event', None) or listener.handleEvent
                listener(event)
                # As in Node, which clears the flag after the first listener.
                event._dispatching = False
            except Exception as err:
                loop.next_tick(_rethrow, err)
            node = following
        event._dispatching = False
        return not event.default_prevented

    def _get_handler(self, type: str) -> object:
        handler = self._handlers.get(type)
        return None if handler is None else handler.handler

    def _set_handler(self, type: str, value: object) -> None:
        # Node keeps the handler's place in the listener list when it is reset.
        handler = self._handlers.get(type)
        if handler is None:
            self._handlers[type] = handler = _Handler(value)
            self._add(type, handler)
            return
        root = self._events[type]
        if callable(handler.handler):
            root.size -= 1
            self._on_removed_listener(type, root.size)
        handler.handler = value
        if callable(value):
            root.size += 1
            self._on_new_listener(type, root.size, False)

    def _on_new_listener(self, type: str, size: int, weak: bool) -> None:
        """Hook (Node's kNewListener): ``size`` listeners of ``type`` now."""

    def _on_removed_listener(self, type: str, size: int) -> None:
        """Hook (Node's kRemoveListener): ``size`` listeners of ``type`` left."""

    # Node's names (naming.camel_case of each method; tests/test_naming.py checks).
    addEventListener = add_event_listener
    removeEventListener = remove_event_listener
    dispatchEvent = dispatch_event


def _validate_listener(listener: object) -> None:
    if not (callable(listener) or hasattr(listener, 'handle_event')
            or hasattr(listener, 'handleEvent')):
        raise errors.ERR_INVALID_ARG_TYPE('listener', 'EventListener', listener)


camel_aliases(Event)
camel_aliases(EventTarget)
