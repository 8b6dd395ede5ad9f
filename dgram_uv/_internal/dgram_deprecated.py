"""Node's deprecated dgram members (DEP0112): ``deprecate``'s one warning per
code, ``Socket.prototype._healthCheck``/``_stopReceiving`` and the state
properties (``_handle``, ``_bindState`` ...), and ``dgram._createSocketHandle``'s
warning."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

from .._binding.udp_wrap import UDP
from . import errors
from .dgram import SocketLike, create_socket_handle, health_check, stop_receiving

__all__ = ['deprecated', 'add_deprecated_members', 'create_socket_handle_deprecated']

_warned_codes: set[str] = set()


def deprecated(message: str, code: str = 'DEP0112') -> None:
    """Node's ``deprecate``: one warning per code and process."""
    if code not in _warned_codes:
        _warned_codes.add(code)
        warnings.warn(errors.NodeDeprecationWarning(message, code), stacklevel=3)


def _deprecated_method(node_name: str, helper: Callable[[SocketLike], None]) -> Any:
    message = f'Socket.prototype.{node_name}() is deprecated'

    def method(self: SocketLike) -> None:
        deprecated(message)
        helper(self)
    method.__name__ = node_name
    return method


def _deprecated_state_property(node_name: str, field: str) -> property:
    message = f'Socket.prototype.{node_name} is deprecated'

    def get(self: SocketLike) -> Any:
        deprecated(message)
        return getattr(self._state, field)

    def set_(self: SocketLike, value: Any) -> None:
        deprecated(message)
        setattr(self._state, field, value)
    return property(get, set_)


def add_deprecated_members(cls: type) -> None:
    """Give ``cls`` (``dgram.Socket``) Node's deprecated ``_healthCheck``,
    ``_stopReceiving`` and state properties (``_handle``, ``_bindState`` ...)."""
    for name, helper in (('_healthCheck', health_check), ('_stopReceiving', stop_receiving)):
        setattr(cls, name, _deprecated_method(name, helper))
    for node_name, field in (('_handle', 'handle'), ('_receiving', 'receiving'),
                             ('_bindState', 'bind_state'), ('_queue', 'queue'),
                             ('_reuseAddr', 'reuse_addr')):
        setattr(cls, node_name, _deprecated_state_property(node_name, field))


def create_socket_handle_deprecated(*args: Any) -> UDP | int:
    """Node's public, deprecated ``dgram._createSocketHandle(address, port,
    addressType, fd, flags)``: a bound UDPWrap or a libuv status (DEP0112)."""
    deprecated('dgram._createSocketHandle() is deprecated')
    return create_socket_handle(*args)
