"""Node's dgram.Socket methods for socket options, addresses and references.

``SocketOptions`` is a base class of ``dgram.Socket``: each method is one
UDPWrap call (``uv_udp_set_ttl``, ``uv_udp_set_membership``, ...) whose libuv
status code becomes Node's ErrnoException (``setTTL EBADF``).  Node's
deprecated private members (DEP0112) live here too.
"""

from __future__ import annotations

from typing import Any

from . import errors, validators
from .events import camel_aliases
from .internal_dgram import (
    CONNECT_STATE_CONNECTED,
    RECV_BUFFER,
    SEND_BUFFER,
    State,
    buffer_size,
    deprecated,
    handle_of,
    health_check,
    stop_receiving,
)
from .udp_wrap import AddressInfo


class SocketOptions:
    """The option, address and ref methods of ``dgram.Socket``."""

    _state: State

    # --- addresses ------------------------------------------------------------------
    def address(self) -> AddressInfo:
        """``socket.address()``: ``uv_udp_getsockname``."""
        health_check(self)
        out: dict[str, Any] = {}
        assert self._state.handle is not None
        err = self._state.handle.getsockname(out)
        if err:
            raise errors.ErrnoException(err, 'getsockname')
        return AddressInfo(**out)

    def remote_address(self) -> AddressInfo:
        """``socket.remoteAddress()``: ``uv_udp_getpeername``."""
        health_check(self)
        state = self._state
        if state.connect_state != CONNECT_STATE_CONNECTED:
            raise errors.ERR_SOCKET_DGRAM_NOT_CONNECTED()
        out: dict[str, Any] = {}
        assert state.handle is not None
        err = state.handle.getpeername(out)
        if err:
            raise errors.ErrnoException(err, 'getpeername')
        return AddressInfo(**out)

    # --- options --------------------------------------------------------------------
    def _handle_call(self, syscall: str, method: str, *args: Any) -> None:
        # `syscall` is also the name of Node's handle method.
        err = getattr(handle_of(self, syscall), method)(*args)
        if err:
            raise errors.ErrnoException(err, syscall)

    def set_broadcast(self, arg: object = None) -> None:
        """``uv_udp_set_broadcast``."""
        self._handle_call('setBroadcast', 'set_broadcast', 1 if arg else 0)

    def set_ttl(self, ttl: Any = None) -> Any:
        """``uv_udp_set_ttl``; returns ``ttl``."""
        validators.validate_number(ttl, 'ttl')
        self._handle_call('setTTL', 'set_ttl', ttl)
        return ttl

    def set_multicast_ttl(self, ttl: Any = None) -> Any:
        """``uv_udp_set_multicast_ttl``; returns ``ttl``."""
        validators.validate_number(ttl, 'ttl')
        self._handle_call('setMulticastTTL', 'set_multicast_ttl', ttl)
        return ttl

    def set_multicast_loopback(self, arg: Any = None) -> Any:
        """``uv_udp_set_multicast_loop``; returns ``arg``."""
        self._handle_call('setMulticastLoopback', 'set_multicast_loopback', 1 if arg else 0)
        return arg

    def set_multicast_interface(self, interface_address: Any = None) -> None:
        """``uv_udp_set_multicast_interface``."""
        health_check(self)
        validators.validate_string(interface_address, 'interfaceAddress')
        self._handle_call('setMulticastInterface', 'set_multicast_interface',
                          interface_address)

    def _membership(self, syscall: str, method: str, multicast: Any, interface: Any) -> None:
        health_check(self)
        if not multicast:
            raise errors.ERR_MISSING_ARGS('multicastAddress')
        self._handle_call(syscall, method, str(multicast),
                          None if interface is None else str(interface))

    def add_membership(self, multicast_address: Any = None, interface_address: Any = None) -> None:
        """``uv_udp_set_membership(..., UV_JOIN_GROUP)``."""
        self._membership('addMembership', 'add_membership', multicast_address, interface_address)

    def drop_membership(self, multicast_address: Any = None, interface_address: Any = None) -> None:
        """``uv_udp_set_membership(..., UV_LEAVE_GROUP)``."""
        self._membership('dropMembership', 'drop_membership', multicast_address,
                         interface_address)

    def _source_membership(self, syscall: str, method: str, source: Any, group: Any,
                           interface: Any) -> None:
        health_check(self)
        validators.validate_string(source, 'sourceAddress')
        validators.validate_string(group, 'groupAddress')
        self._handle_call(syscall, method, source, group,
                          None if interface is None else str(interface))

    def add_source_specific_membership(self, source_address: Any = None,
                                       group_address: Any = None,
                                       interface_address: Any = None) -> None:
        """``uv_udp_set_source_membership(..., UV_JOIN_GROUP)``."""
        self._source_membership('addSourceSpecificMembership', 'add_source_specific_membership',
                                source_address, group_address, interface_address)

    def drop_source_specific_membership(self, source_address: Any = None,
                                        group_address: Any = None,
                                        interface_address: Any = None) -> None:
        """``uv_udp_set_source_membership(..., UV_LEAVE_GROUP)``."""
        self._source_membership('dropSourceSpecificMembership',
                                'drop_source_specific_membership', source_address,
                                group_address, interface_address)

    def set_recv_buffer_size(self, size: Any = None) -> None:
        """``uv_recv_buffer_size`` (set)."""
        buffer_size(self, size, RECV_BUFFER)

    def set_send_buffer_size(self, size: Any = None) -> None:
        """``uv_send_buffer_size`` (set)."""
        buffer_size(self, size, SEND_BUFFER)

    def get_recv_buffer_size(self) -> int:
        """``uv_recv_buffer_size`` (get)."""
        return buffer_size(self, 0, RECV_BUFFER)

    def get_send_buffer_size(self) -> int:
        """``uv_send_buffer_size`` (get)."""
        return buffer_size(self, 0, SEND_BUFFER)

    def get_send_queue_size(self) -> int:
        """``uv_udp_get_send_queue_size``."""
        return handle_of(self, 'getSendQueueSize').get_send_queue_size()

    def get_send_queue_count(self) -> int:
        """``uv_udp_get_send_queue_count``."""
        return handle_of(self, 'getSendQueueCount').get_send_queue_count()

    def ref(self) -> SocketOptions:
        """``uv_ref``: the socket keeps ``run()`` going again."""
        if self._state.handle is not None:
            self._state.handle.ref()
        return self

    def unref(self) -> SocketOptions:
        """``uv_unref``: the socket alone no longer keeps ``run()`` going."""
        if self._state.handle is not None:
            self._state.handle.unref()
        return self

    # --- Node's deprecated private members (DEP0112) ------------------------------------
    def _healthCheck(self) -> None:  # noqa: N802
        deprecated('Socket.prototype._healthCheck() is deprecated')
        health_check(self)

    def _stopReceiving(self) -> None:  # noqa: N802
        deprecated('Socket.prototype._stopReceiving() is deprecated')
        stop_receiving(self)



def _deprecated_state_property(node_name: str, field: str) -> property:
    message = f'Socket.prototype.{node_name} is deprecated'

    def get(self: SocketOptions) -> Any:
        deprecated(message)
        return getattr(self._state, field)

    def set_(self: SocketOptions, value: Any) -> None:
        deprecated(message)
        setattr(self._state, field, value)
    return property(get, set_)


for _node_name, _field in (('_handle', 'handle'), ('_receiving', 'receiving'),
                           ('_bindState', 'bind_state'), ('_queue', 'queue'),
                           ('_reuseAddr', 'reuse_addr')):
    setattr(SocketOptions, _node_name, _deprecated_state_property(_node_name, _field))



camel_aliases(SocketOptions)
