"""The parts of Node's ``Socket.prototype.bind`` after its checks (lib/dgram.js):
the bind callback as a ``'listening'`` listener, ``{'fd': n}`` (``uv_udp_open``),
the bind once the address is resolved (``uv_udp_bind``), and a cluster worker's
``bindServerHandle``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .._binding.udp_wrap import UDP, UV_UDP_IPV6ONLY, UV_UDP_REUSEADDR, UV_UDP_REUSEPORT
from .._binding.uv_compat import guess_handle
from . import cluster, errors
from .args import AnyCallback
from .dgram import (
    BIND_STATE_UNBOUND,
    GetServer,
    SocketLike,
    replace_handle,
    start_listening,
)
from .jsvalues import to_uint32, truthy

__all__ = ['once_bound', 'bind_fd', 'after_bind_lookup', 'bind_server_handle']


def bind_server_handle(socket: SocketLike, options: dict[str, Any],
                       on_error: Callable[[int], None], get_server: Callable[..., None]) -> None:
    """Node's ``bindServerHandle``: ask the cluster primary for the bound handle
    through ``get_server`` (the public ``cluster._get_server``, which a test may
    replace, as in Node)."""
    state = socket._state

    def on_server(err: int | None, handle: UDP | None = None) -> None:
        if err:
            if state.handle is not None:   # no callback once the socket is closed
                on_error(err)
            return
        assert handle is not None
        if state.handle is None:
            handle.close()                 # closed while the primary answered
            return
        replace_handle(socket, handle)
        start_listening(socket)
    get_server(socket, options, on_server)


def once_bound(socket: SocketLike, callback: AnyCallback) -> None:
    """Node's bind callback: a ``'listening'`` listener, dropped on ``'error'``."""
    def remove_listeners(*_: Any) -> None:
        socket.remove_listener('error', remove_listeners)
        socket.remove_listener('listening', on_listening)

    def on_listening() -> None:
        remove_listeners()
        callback()
    socket.on('error', remove_listeners)
    socket.on('listening', on_listening)

def bind_fd(socket: SocketLike, fd: int, exclusive: bool, get_server: GetServer) -> None:
    """``bind({'fd': fd})``: ``uv_udp_open``, or the primary's handle in a cluster worker."""
    if cluster.is_worker and not exclusive:
        def on_error(err: int) -> None:
            socket._state.bind_state = BIND_STATE_UNBOUND
            socket.emit('error', errors.ErrnoException(err, 'open'))
        bind_server_handle(socket, {'address': None, 'port': None, 'addressType': socket.type,
                                   'fd': fd, 'flags': None}, on_error,
                           get_server)
        return
    kind = guess_handle(fd)
    if kind != 'UDP':
        raise errors.ERR_INVALID_FD_TYPE(kind)
    assert socket._state.handle is not None
    err = socket._state.handle.open(fd)
    if err:
        raise errors.ErrnoException(err, 'open')
    start_listening(socket)


def after_bind_lookup(socket: SocketLike, err: BaseException | None, ip: str, port: Any,
                      exclusive: bool, get_server: GetServer) -> None:
    """The rest of Node's ``bind`` once the address is resolved: ``uv_udp_bind``
    (or the primary's handle in a cluster worker), then listening."""
    state = socket._state
    if state.handle is None:
        return  # closed meanwhile
    if err is not None:
        state.bind_state = BIND_STATE_UNBOUND
        socket.emit('error', err)
        return
    flags = 0
    if truthy(state.reuse_addr):
        flags |= UV_UDP_REUSEADDR
    if truthy(state.ipv6_only):
        flags |= UV_UDP_IPV6ONLY
    if truthy(state.reuse_port):
        exclusive = True
        flags |= UV_UDP_REUSEPORT
    if cluster.is_worker and not exclusive:
        def on_error(status: int) -> None:
            state.bind_state = BIND_STATE_UNBOUND
            socket.emit('error', errors.ExceptionWithHostPort(status, 'bind', ip, port))
        bind_server_handle(socket, {'address': ip, 'port': port, 'addressType': socket.type,
                                   'fd': -1, 'flags': flags}, on_error,
                           get_server)
        return
    # Node passes `port || 0`, which its binding reads with ToUint32.
    status = state.handle.bind(ip, to_uint32(port) & 0xFFFF, flags)
    if status:
        state.bind_state = BIND_STATE_UNBOUND
        socket.emit('error', errors.ExceptionWithHostPort(status, 'bind', ip, port))
        return
    start_listening(socket)
