"""The parts of Node's ``Socket.prototype.bind`` after its checks (lib/dgram.js):
the bind callback as a ``'listening'`` listener, ``{'fd': n}`` (``uv_udp_open``),
the bind once the address is resolved (``uv_udp_bind``), and a cluster worker's
``bindServerHandle``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .._binding import loop
from .._binding.udp_wrap import UDP, UV_UDP_IPV6ONLY, UV_UDP_REUSEADDR, UV_UDP_REUSEPORT
from .._binding.uv_compat import guess_handle
from . import cluster, dns, errors
from .args import AnyCallback
from .dgram import (
    BIND_STATE_UNBOUND,
    GetServer,
    SocketLike,
    replace_handle,
    start_listening,
)
from .jsvalues import to_uint32, truthy

__all__ = ['once_bound', 'bind_fd', 'lookup_and_bind', 'after_bind_lookup',
           'bind_server_handle']


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


class _BindCallback:
    """Node's bind callback: ``on_listening`` is its ``'listening'`` listener,
    ``remove_listeners`` its ``'error'`` listener.  Bound methods of one object,
    not two closures naming each other: once they are removed nothing refers
    back to the socket, so it is freed without the cycle collector."""

    __slots__ = ('socket', 'callback')

    def __init__(self, socket: SocketLike, callback: AnyCallback) -> None:
        self.socket = socket
        self.callback = callback

    def remove_listeners(self, *_: Any) -> None:
        self.socket.remove_listener('error', self.remove_listeners)
        self.socket.remove_listener('listening', self.on_listening)

    def on_listening(self) -> None:
        self.remove_listeners()
        self.callback()


def once_bound(socket: SocketLike, callback: AnyCallback) -> None:
    """Node's bind callback: a ``'listening'`` listener, dropped on ``'error'``."""
    bound = _BindCallback(socket, callback)
    socket.on('error', bound.remove_listeners)
    socket.on('listening', bound.on_listening)


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


def lookup_and_bind(socket: SocketLike, address: str, port: Any, exclusive: bool,
                    get_server: GetServer) -> None:
    """The handle's lookup of ``address``, then ``after_bind_lookup``.  An IP
    literal the default lookup already knows is queued as that lookup's tick
    directly (no closure)."""
    handle = socket._state.handle
    assert handle is not None and handle.lookup is not None
    lookup = handle.lookup
    if ((lookup is dns.lookup4 or lookup is dns.lookup6) and type(address) is str
            and dns.ip_families.get(address)):
        loop.next_tick(after_bind_lookup, socket, None, address, port, exclusive, get_server)
        return
    lookup(address, lambda err, ip=None, *_: after_bind_lookup(socket, err, ip, port, exclusive,
                                                              get_server))


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
    # (`is not None` first: the options are mostly absent, and truthy is a call.)
    if state.reuse_addr is not None and truthy(state.reuse_addr):
        flags |= UV_UDP_REUSEADDR
    if state.ipv6_only is not None and truthy(state.ipv6_only):
        flags |= UV_UDP_IPV6ONLY
    if state.reuse_port is not None and truthy(state.reuse_port):
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
    status = state.handle.bind(ip, port if type(port) is int and 0 <= port <= 0xFFFF
                               else to_uint32(port) & 0xFFFF, flags)
    if status:
        state.bind_state = BIND_STATE_UNBOUND
        socket.emit('error', errors.ExceptionWithHostPort(status, 'bind', ip, port))
        return
    start_listening(socket)
