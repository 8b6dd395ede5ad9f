"""Node's AbortController and AbortSignal (lib/internal/abort_controller.js, Node v23.5.0).

An AbortSignal is an EventTarget (``event_target.py``), not an EventEmitter.
``abort()`` dispatches the ``'abort'`` event synchronously.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Mapping
from typing import Any, Final

from . import timers
from ._internal import errors, validators
from ._internal.event_target import DOMException, Event, EventTarget, ThrownValue
from ._internal.naming import camel_aliases

__all__ = ['AbortController', 'AbortSignal', 'DOMException', 'Event', 'EventTarget',
           'ThrownValue']

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
        timer = timers.set_timeout(_on_timeout, delay, weakref.ref(signal)).unref()
        signal._timer_finalizer = weakref.finalize(signal, timers.clear_timeout, timer)
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

    # Node's names (naming.camel_case of each method; tests/test_naming.py checks).
    throwIfAborted = throw_if_aborted


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


camel_aliases(AbortSignal)
