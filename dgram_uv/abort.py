"""Node's AbortController and AbortSignal (lib/internal/abort_controller.js, Node v23.5.0).

An AbortSignal is an EventTarget, not an EventEmitter: this module carries the
part of Node's EventTarget and Event (lib/internal/event_target.js) it needs.
``abort()`` dispatches the ``'abort'`` event synchronously; an exception a
listener raises does not stop the others and is re-raised on the next tick, as
Node reports it as an uncaught exception.
"""

from __future__ import annotations

import warnings
import weakref
from collections.abc import Iterable, Mapping
from typing import Any, Final

from . import errors, loop, validators
from .events import camel_aliases

__all__ = ['AbortController', 'AbortSignal', 'DOMException', 'Event', 'EventTarget',
           'ThrownValue']

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
        self._cancelable = bool(options.get('cancelable')) if options is not None else False
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
        once, capture, signal = bool(opts.get('once')), bool(opts.get('capture')), \
            opts.get('signal')
        if signal is not None:
            validators.validate_abort_signal(signal, 'options.signal')
            if signal.aborted:
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


def _validate_listener(listener: object) -> None:
    if not (callable(listener) or hasattr(listener, 'handle_event')
            or hasattr(listener, 'handleEvent')):
        raise errors.ERR_INVALID_ARG_TYPE('listener', 'EventListener', listener)


# --- AbortSignal and AbortController ----------------------------------------------------

_TOKEN: Final = object()    # Node's kDontThrowSymbol: only this module constructs signals

# Node keeps a timeout signal, or a composite one (AbortSignal.any) with sources,
# alive while it has an 'abort' listener, although nothing else refers to it.
_gc_persistent: set[AbortSignal] = set()


class AbortSignal(EventTarget):
    """Node's AbortSignal: ``aborted``, ``reason``, ``throw_if_aborted()``, ``onabort``.

    ``AbortSignal()`` raises ``ERR_ILLEGAL_CONSTRUCTOR``; signals come from
    ``AbortController().signal``, ``AbortSignal.abort()``, ``AbortSignal.timeout()``
    and ``AbortSignal.any()``.
    """

    def __init__(self, _token: object = None, *, aborted: bool = False, reason: object = None,
                 composite: bool = False) -> None:
        if _token is not _TOKEN:
            raise errors.ERR_ILLEGAL_CONSTRUCTOR()
        super().__init__()
        self._aborted = aborted
        self._reason = reason
        self._composite = composite
        self._timeout = False
        self._timer_finalizer: weakref.finalize[Any, Any] | None = None
        # Weak both ways, keyed by id() and ordered: dependants abort in the
        # order they were made; an entry leaves when its signal is collected.
        self._sources: dict[int, weakref.ref[AbortSignal]] | None = None
        self._held: list[AbortSignal] = []   # timeout sources, held until this aborts
        self._dependants: dict[int, weakref.ref[AbortSignal]] = {}

    @property
    def aborted(self) -> bool:
        return _this(self)._aborted

    @property
    def reason(self) -> Any:
        """The abort reason; None until aborted."""
        return _this(self)._reason

    def throw_if_aborted(self) -> None:
        """Raise the reason if aborted (a non-exception reason as :class:`ThrownValue`)."""
        if _this(self)._aborted:
            reason = self._reason
            raise reason if isinstance(reason, BaseException) else ThrownValue(reason)

    @property
    def onabort(self) -> Any:
        return self._get_handler('abort')

    @onabort.setter
    def onabort(self, value: Any) -> None:
        self._set_handler('abort', value)

    @staticmethod
    def abort(reason: object = None) -> AbortSignal:
        """An already aborted signal; the default reason is an AbortError DOMException."""
        return AbortSignal(_TOKEN, aborted=True, reason=_reason_or_default(reason))

    @staticmethod
    def timeout(delay: int) -> AbortSignal:
        """A signal that aborts with a TimeoutError DOMException after ``delay`` ms.

        Its timer is unref'd, so it keeps no loop running, and holds the signal
        only weakly: a signal nobody refers to is collected and its timer cleared.
        """
        validators.validate_uint32(delay, 'delay')
        signal = AbortSignal(_TOKEN)
        signal._timeout = True
        timer = loop.set_timeout(_on_timeout, delay, weakref.ref(signal)).unref()
        signal._timer_finalizer = weakref.finalize(signal, loop.clear_timeout, timer)
        return signal

    @staticmethod
    def any(signals: Iterable[AbortSignal]) -> AbortSignal:
        """A signal that aborts with the first of ``signals`` to abort, with its reason."""
        if isinstance(signals, (str, bytes, bytearray, Mapping)) or \
                not isinstance(signals, Iterable):
            raise _NotASequence('signals can not be converted to sequence.')
        items = list(signals)
        for i, item in enumerate(items):
            if not isinstance(item, AbortSignal):
                raise errors.ERR_INVALID_ARG_TYPE(f'signals[{i}]', 'AbortSignal', item)
        result = AbortSignal(_TOKEN, composite=True)
        if not items:
            return result
        result._sources = {}
        for item in items:
            if item._aborted:
                _abort_signal(result, item._reason)
                return result
            if not item._composite:
                _link(item, result)
            elif item._sources:
                # A composite source stands for its own sources, which never
                # are composite themselves: the tree stays one level deep.
                for ref in list(item._sources.values()):
                    source = ref()
                    if source is not None and id(source) not in result._sources:
                        _link(source, result)
        return result

    def _persistent(self) -> bool:
        return self._timeout or (self._composite and bool(self._sources))

    def _on_new_listener(self, type: str, size: int, weak: bool) -> None:
        if type == 'abort' and size == 1 and not weak and not self._aborted \
                and self._persistent():
            _gc_persistent.add(self)

    def _on_removed_listener(self, type: str, size: int) -> None:
        if type == 'abort' and size == 0 and self._persistent():
            _gc_persistent.discard(self)

    def __repr__(self) -> str:
        return f'AbortSignal {{ aborted: {str(self._aborted).lower()} }}'


class _NotASequence(errors.ERR_INVALID_ARG_TYPE):
    # Node's WebIDL sequence converter: ERR_INVALID_ARG_TYPE with its own text.
    def __init__(self, message: str) -> None:
        errors.NodeTypeError.__init__(self, message)


def _this(signal: object) -> AbortSignal:
    # Node checks the receiver: AbortSignal.aborted.fget(object()) is a TypeError.
    if not isinstance(signal, AbortSignal) or not hasattr(signal, '_aborted'):
        raise errors.ERR_INVALID_THIS('AbortSignal')
    return signal


def _reason_or_default(reason: object) -> object:
    # None is JS's undefined here, which makes Node use its default reason.
    return DOMException('This operation was aborted', 'AbortError') if reason is None else reason


def _link(source: AbortSignal, composed: AbortSignal) -> None:
    assert composed._sources is not None
    key, composed_ref = id(source), weakref.ref(composed)

    def source_gone(_: object) -> None:
        target = composed_ref()
        if target is not None and target._sources is not None:
            target._sources.pop(key, None)
            if not target._sources:    # it can no longer abort: let it go
                _gc_persistent.discard(target)

    composed._sources[key] = weakref.ref(source, source_gone)
    if source._timeout:
        # Node holds a timeout source weakly too, so V8 may collect it and the
        # composite never aborts (nodejs/node#57736, fixed after 23.5); CPython
        # would free it at once. The composite holds it instead, which frees it
        # with the composite, as Node means to.
        composed._held.append(source)
    dependants, own_key = source._dependants, id(composed)
    dependants[own_key] = weakref.ref(composed, lambda _: dependants.pop(own_key, None))


def _on_timeout(ref: weakref.ref[AbortSignal]) -> None:
    signal = ref()
    if signal is not None:
        _gc_persistent.discard(signal)
        if signal._timer_finalizer is not None:
            signal._timer_finalizer.detach()
        _abort_signal(signal, DOMException('The operation was aborted due to timeout',
                                           'TimeoutError'))


def _abort_signal(signal: AbortSignal, reason: object) -> None:
    """Abort ``signal`` and its dependants, then dispatch their 'abort' events."""
    if signal._aborted:
        return
    signal._aborted, signal._reason = True, reason
    signal._held.clear()
    # Every dependant is aborted before any event runs, so each listener sees
    # them all aborted, as the DOM specification orders it.
    to_run = []
    for ref in list(signal._dependants.values()):
        dependant = ref()
        if dependant is not None and not dependant._aborted:
            dependant._aborted, dependant._reason = True, reason
            dependant._held.clear()
            to_run.append(dependant)
    for target in (signal, *to_run):
        event = Event('abort')
        event._trusted = True
        target.dispatch_event(event)


class AbortController:
    """Node's AbortController: ``signal`` and ``abort(reason=None)``."""

    __slots__ = ('_signal',)

    def __init__(self) -> None:
        self._signal: AbortSignal | None = None

    @property
    def signal(self) -> AbortSignal:
        return _signal_of(self)

    def abort(self, reason: object = None) -> None:
        """Abort the signal (once; later calls do nothing), listeners run now.

        The default reason is ``DOMException('This operation was aborted', 'AbortError')``.
        """
        _abort_signal(_signal_of(self), _reason_or_default(reason))

    def __repr__(self) -> str:
        return f'AbortController {{ signal: {self.signal!r} }}'


def _signal_of(controller: object) -> AbortSignal:
    # The signal is made on first use; a receiver that is not a controller is a
    # TypeError, as Node's private field makes it.
    if not isinstance(controller, AbortController) or not hasattr(controller, '_signal'):
        raise errors.ERR_INVALID_THIS('AbortController')
    if controller._signal is None:
        controller._signal = AbortSignal(_TOKEN)
    return controller._signal


camel_aliases(Event)
camel_aliases(EventTarget)
camel_aliases(AbortSignal)
