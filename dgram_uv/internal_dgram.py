"""Node's lib/internal/dgram.js, and the helpers dgram's modules share.

The socket state (Node's ``socket[kStateSymbol]``, here ``socket._state``),
the bind/connect state constants, ``new_handle`` (a UDPWrap with its family's
lookup) and ``_create_socket_handle`` (what cluster's primary binds), plus
Node's ``healthCheck``, ``stopReceiving``, ``bufferSize`` and ``deprecate``.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping
from typing import Any, Protocol

from . import dns, errors, validators
from .udp_wrap import UDP
from .uv import codes as _uv_codes
from .uv_compat import guess_handle

BIND_STATE_UNBOUND = 0
BIND_STATE_BINDING = 1
BIND_STATE_BOUND = 2

CONNECT_STATE_DISCONNECTED = 0
CONNECT_STATE_CONNECTING = 1
CONNECT_STATE_CONNECTED = 2

RECV_BUFFER = True
SEND_BUFFER = False


class State:
    """Node's ``socket[kStateSymbol]``."""

    __slots__ = ('handle', 'receiving', 'bind_state', 'connect_state', 'queue', 'reuse_addr',
                 'reuse_port', 'ipv6_only', 'recv_buffer_size', 'send_buffer_size',
                 'receive_block_list', 'send_block_list')

    def __init__(self, handle: UDP, options: Mapping[str, Any]) -> None:
        self.handle: UDP | None = handle
        self.receiving = False
        self.bind_state = BIND_STATE_UNBOUND
        self.connect_state = CONNECT_STATE_DISCONNECTED
        self.queue: list[Callable[[], Any]] | None = None
        self.reuse_addr: Any = options.get('reuseAddr')
        self.reuse_port: Any = options.get('reusePort')
        self.ipv6_only: Any = options.get('ipv6Only')
        self.recv_buffer_size: Any = options.get('recvBufferSize')
        self.send_buffer_size: Any = options.get('sendBufferSize')
        self.receive_block_list: Any = options.get('receiveBlockList')
        self.send_block_list: Any = options.get('sendBlockList')


# --- handles (Node's lib/internal/dgram.js) -----------------------------------------

UNDEFINED = object()   # Node's `undefined`, where an explicit None is Node's `null`


def new_handle(type_: object, lookup: Any = UNDEFINED) -> UDP:
    """Node's ``newHandle``: a UDPWrap whose ``lookup`` resolves for the family."""
    if lookup is UNDEFINED:
        lookup = dns.lookup
    else:
        validators.validate_function(lookup, 'lookup')
    if not isinstance(type_, str):
        raise errors.ERR_SOCKET_BAD_TYPE()
    if type_ == 'udp4':
        handle = UDP()
        handle.lookup = lambda address, callback: lookup(address or '127.0.0.1', 4, callback)
        return handle
    if type_ == 'udp6':
        handle = UDP()
        handle.lookup = lambda address, callback: lookup(address or '::1', 6, callback)
        handle.bind = handle.bind6  # type: ignore[method-assign]
        handle.connect = handle.connect6  # type: ignore[method-assign]
        handle.send = handle.send6  # type: ignore[method-assign]
        return handle
    raise errors.ERR_SOCKET_BAD_TYPE()


def _create_socket_handle(address: str | None, port: int | None, address_type: str,
                          fd: int | None = None, flags: int = 0) -> UDP | int:
    """Node's internal ``_createSocketHandle`` (cluster's primary): a bound handle or a status."""
    handle = new_handle(address_type)
    err = 0
    if isinstance(fd, int) and not isinstance(fd, bool) and fd > 0:
        err = _uv_codes['UV_EINVAL'] if guess_handle(fd) != 'UDP' else handle.open(fd)
    elif port or address:
        err = handle.bind(address or '', port or 0, flags)
    if err:
        handle.close()
        return err
    return handle



class Stateful(Protocol):
    """What the helpers below need of a Socket."""

    _state: State


_warned_codes: set[str] = set()


def deprecated(message: str, code: str = 'DEP0112') -> None:
    """Node's ``deprecate``: one warning per code and process."""
    if code not in _warned_codes:
        _warned_codes.add(code)
        warnings.warn(errors.NodeDeprecationWarning(message, code), stacklevel=3)


def handle_of(socket: Stateful, node_method: str) -> UDP:
    """The handle; on a closed socket, the TypeError Node's JS gets from ``null``."""
    handle = socket._state.handle
    if handle is None:
        raise TypeError(f"Cannot read properties of null (reading '{node_method}')")
    return handle


def health_check(socket: Stateful) -> None:
    if socket._state.handle is None:
        raise errors.ERR_SOCKET_DGRAM_NOT_RUNNING()


def stop_receiving(socket: Stateful) -> None:
    state = socket._state
    if not state.receiving:
        return
    assert state.handle is not None
    state.handle.recv_stop()
    state.receiving = False


def buffer_size(socket: Stateful, size: Any, is_recv: bool) -> int:
    if not validators.is_integer(size) or not 0 <= size <= 0xFFFFFFFF:
        raise errors.ERR_SOCKET_BAD_BUFFER_SIZE()
    ctx: dict[str, Any] = {}
    ret = handle_of(socket, 'bufferSize').buffer_size(int(size), is_recv, ctx)
    if ret is None:
        raise errors.ERR_SOCKET_BUFFER_SIZE(ctx)
    return ret


