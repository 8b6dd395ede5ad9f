"""Node's ``events`` module: ``EventEmitter``, ``error_monitor`` and
``default_max_listeners`` (Node's ``defaultMaxListeners``).

``events.default_max_listeners = n`` is validated as in Node: a negative
number or a non-number raises ``ERR_OUT_OF_RANGE``/``ERR_INVALID_ARG_TYPE``.
Python gives a module a validating setter only through the module's type,
hence ``_EventsModule`` below.  The implementation is ``_internal.events``.
"""

from __future__ import annotations

import sys
import types

from ._internal.events import (
    EventEmitter,
    MaxListenersExceededWarning,
    error_monitor,
    errorMonitor,
    get_default_max_listeners,
    set_default_max_listeners,
)

__all__ = ['EventEmitter', 'MaxListenersExceededWarning', 'error_monitor', 'errorMonitor',
           'default_max_listeners', 'defaultMaxListeners']

default_max_listeners: float
defaultMaxListeners: float


class _EventsModule(types.ModuleType):
    """This module's type: Node's validating ``defaultMaxListeners`` setter."""

    @property
    def default_max_listeners(self) -> float:
        return get_default_max_listeners()

    @default_max_listeners.setter
    def default_max_listeners(self, n: float) -> None:
        set_default_max_listeners(n)

    defaultMaxListeners = default_max_listeners


sys.modules[__name__].__class__ = _EventsModule
