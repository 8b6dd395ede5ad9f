"""Node's lib/internal/dgram.js, and lib/dgram.js's module-level helpers.

lib/internal/dgram.js: the socket state (Node's ``socket[kStateSymbol]``, here
``socket._state``), the bind/connect state constants, ``new_handle`` (a
UDPWrap of the type's family with its lookup) and ``create_socket_handle``
(what cluster's primary binds).

lib/dgram.js keeps, beside the ``Socket`` methods (``dgram.py``), functions
that are not methods; they are here: ``healthCheck``, ``stopReceiving``,
``bufferSize``, ``startListening``, ``replaceHandle``, ``bindServerHandle``,
``enqueue``/``clearQueue`` (the sends and connects made while binding) and
``onMessage`` (the receive path); ``doSend``/``afterSend`` are in
``dgram_send``.
"""

from __future__ import annotations

import socket as _socket
from collections.abc import Callable, Hashable, Mapping
from typing import Any, Protocol

from .._binding import loop
from .._binding.udp_wrap import (
    UDP,
    AddressInfo,
    RemoteInfo,
)
from .._binding.uv import UV_EINVAL, errname, strerror
from .._binding.uv_compat import guess_handle
from . import dns, errors, validators
from .events import error_monitor
from .jsvalues import UNDEFINED, to_string, truthy

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
    # The options as given (JS values: read with the jsvalues rules).
    reuse_addr: Any
    reuse_port: Any
    ipv6_only: Any
    recv_buffer_size: Any
    send_buffer_size: Any
    receive_block_list: Any
    send_block_list: Any

    def __init__(self, handle: UDP, options: Mapping[str, Any]) -> None:
        self.handle: UDP | None = handle
        self.receiving = False
        self.bind_state = BIND_STATE_UNBOUND
        self.connect_state = CONNECT_STATE_DISCONNECTED
        self.queue: list[Callable[[], Any]] | None = None
        if len(options) == 1 and 'type' in options:   # create_socket('udp4'): no options
            self.reuse_addr = self.reuse_port = self.ipv6_only = None
            self.recv_buffer_size = self.send_buffer_size = None
            self.receive_block_list = self.send_block_list = None
            return
        self.reuse_addr = options.get('reuseAddr')
        self.reuse_port = options.get('reusePort')
        self.ipv6_only = options.get('ipv6Only')
        self.recv_buffer_size = options.get('recvBufferSize')
        self.send_buffer_size = options.get('sendBufferSize')
        # Node keeps a block list only when the option is truthy (and so checked).
        self.receive_block_list = _truthy_option(options, 'receiveBlockList')
        self.send_block_list = _truthy_option(options, 'sendBlockList')


def _truthy_option(options: Mapping[str, Any], name: str) -> Any:
    value = options.get(name)
    return value if truthy(value) else None


# --- handles (Node's lib/internal/dgram.js) -----------------------------------------



def validate_options(opts: Mapping[str, Any], is_block_list: Callable[[object], bool]) -> None:
    """The checks of Node's ``Socket`` constructor on its options."""
    if truthy(opts.get('recvBufferSize')):
        validators.validate_uint32(opts['recvBufferSize'], 'options.recvBufferSize')
    if truthy(opts.get('sendBufferSize')):
        validators.validate_uint32(opts['sendBufferSize'], 'options.sendBufferSize')
    for name in ('receiveBlockList', 'sendBlockList'):
        if truthy(opts.get(name)) and not is_block_list(opts[name]):
            raise errors.ERR_INVALID_ARG_TYPE(f'options.{name}', 'net.BlockList', opts[name])


def new_handle(type_: object, lookup: Any = UNDEFINED) -> UDP:
    """Node's ``newHandle``: a UDPWrap of the type's family whose ``lookup``
    resolves for that family (Node's ``lookup4``/``lookup6``)."""
    if lookup is UNDEFINED:
        lookup = dns.lookup
    elif lookup is not dns.lookup:
        validators.validate_function(lookup, 'lookup')
    if not isinstance(type_, str):   # a str subclass or UserString is an object in JS
        raise errors.ERR_SOCKET_BAD_TYPE()
    # With dns.lookup itself, the module's lookup4/lookup6 (no closure: an IP
    # literal then completes without a call through the generic lookup).
    if type_ == 'udp4':
        handle = UDP(_socket.AF_INET)
        handle.lookup = dns.lookup4 if lookup is dns.lookup else (
            lambda address, callback: lookup(
                address if truthy(address) else '127.0.0.1', 4, callback))
        return handle
    if type_ == 'udp6':
        handle = UDP(_socket.AF_INET6)
        handle.lookup = dns.lookup6 if lookup is dns.lookup else (
            lambda address, callback: lookup(address if truthy(address) else '::1', 6, callback))
        return handle
    raise errors.ERR_SOCKET_BAD_TYPE()


def create_socket_handle(address: str | None, port: int | None, address_type: str,
                         fd: int | None = None, flags: int = 0) -> UDP | int:
    """Node's internal ``_createSocketHandle`` (cluster's primary): a bound handle or a status."""
    handle = new_handle(address_type)
    err = 0
    if isinstance(fd, int) and not isinstance(fd, bool) and fd > 0:
        err = UV_EINVAL if guess_handle(fd) != 'UDP' else handle.open(fd)
    elif port or address:
        err = handle.bind(address or '', port or 0, flags)
    if err:
        handle.close()
        return err
    return handle



GetServer = Callable[[Any, dict[str, Any], Callable[..., None]], None]
"""Node's ``cluster._getServer(obj, options, cb)``."""


class SocketLike(Protocol):
    """What the helpers below use of a ``dgram.Socket`` (an EventEmitter)."""

    _state: State
    type: str | None

    def emit(self, event: Hashable, *args: Any) -> bool: ...
    def once(self, event: Hashable, listener: Callable[..., object]) -> Any: ...
    def remove_listener(self, event: Hashable, listener: Callable[..., object]) -> Any: ...
    def close(self, callback: Any = None) -> Any: ...
    def on(self, event: Hashable, listener: Callable[..., object]) -> Any: ...


def handle_of(socket: SocketLike, node_method: str) -> UDP:
    """The handle; on a closed socket, the TypeError Node's JS gets from ``null``."""
    handle = socket._state.handle
    if handle is None:
        raise TypeError(f"Cannot read properties of null (reading '{node_method}')")
    return handle


def health_check(socket: SocketLike) -> None:
    if socket._state.handle is None:
        raise errors.ERR_SOCKET_DGRAM_NOT_RUNNING()


def stop_receiving(socket: SocketLike) -> None:
    state = socket._state
    if not state.receiving:
        return
    assert state.handle is not None
    state.handle.recv_stop()
    state.receiving = False


def is_socket(value: object) -> bool:
    """Whether ``value`` is a dgram Socket (it has the socket state)."""
    return isinstance(getattr(value, '_state', None), State)


def pause_receiving(socket: SocketLike) -> None:
    """Stop reading datagrams (``uv_udp_recv_stop``), the socket staying open
    and bound: they wait in the kernel's buffer.  ``dgram_uv.aio``'s
    backpressure; Node's dgram has no such call."""
    state = socket._state
    if state.receiving and state.handle is not None:
        state.handle.recv_stop()
        state.receiving = False


def resume_receiving(socket: SocketLike) -> None:
    """Read datagrams again (``uv_udp_recv_start``) after ``pause_receiving``."""
    state = socket._state
    if not state.receiving and state.handle is not None and state.bind_state == BIND_STATE_BOUND:
        state.handle.recv_start()
        state.receiving = True


def buffer_size(socket: SocketLike, size: Any, is_recv: bool) -> int:
    if not validators.is_integer(size) or not 0 <= size <= 0xFFFFFFFF:
        raise errors.ERR_SOCKET_BAD_BUFFER_SIZE()
    ret = handle_of(socket, 'bufferSize').buffer_size(int(size), is_recv)
    if ret < 0:
        # Node's context (CollectUVExceptionInfo): errno is libuv's negative
        # code; this is a NodeError, not one of the OSError system errors.
        raise errors.ERR_SOCKET_BUFFER_SIZE({
            'errno': ret, 'code': errname(ret), 'message': strerror(ret),
            'syscall': 'uv_recv_buffer_size' if is_recv else 'uv_send_buffer_size'})
    return ret


def sock_or_peer_name(socket: SocketLike, call: str) -> AddressInfo:
    """``socket.address()``/``remoteAddress()``: Node's ``getsockname``/``getpeername``
    binding calls into an object, or ``<call> E...``."""
    health_check(socket)
    out: dict[str, Any] = {}
    handle = socket._state.handle
    assert handle is not None
    err = handle.getsockname(out) if call == 'getsockname' else handle.getpeername(out)
    if err:
        raise errors.ErrnoException(err, call)
    return AddressInfo(**out)


def handle_call(socket: SocketLike, syscall: str, method: str, *args: Any) -> None:
    """Call UDPWrap's ``method``; a failure is Node's ``<syscall> E...`` error
    (``syscall`` is also the name of Node's handle method)."""
    err = getattr(handle_of(socket, syscall), method)(*args)
    if err:
        raise errors.ErrnoException(err, syscall)


def membership(socket: SocketLike, syscall: str, method: str, multicast: Any,
               interface: Any) -> None:
    """``addMembership``/``dropMembership``."""
    health_check(socket)
    if not truthy(multicast):
        raise errors.ERR_MISSING_ARGS('multicastAddress')
    # Node's binding reads both as strings (Utf8Value); no interface is NULL.
    handle_call(socket, syscall, method, to_string(multicast), _interface(interface))


def _interface(interface: Any) -> str | None:
    return None if interface is None or interface is UNDEFINED else to_string(interface)


def source_membership(socket: SocketLike, syscall: str, method: str, source: Any, group: Any,
                      interface: Any) -> None:
    """``addSourceSpecificMembership``/``dropSourceSpecificMembership``."""
    health_check(socket)
    validators.validate_string(source, 'sourceAddress')
    validators.validate_string(group, 'groupAddress')
    handle_call(socket, syscall, method, source, group, _interface(interface))


# --- lib/dgram.js's module-level functions ---------------------------------------------

def blocked(block_list: Any, ip: str | None) -> bool:
    return bool(block_list is not None and ip and block_list.check(ip, f'ipv{dns.is_ip(ip)}'))


def start_listening(socket: SocketLike) -> None:
    state = socket._state
    assert state.handle is not None
    state.handle.onmessage = on_message
    state.handle.recv_start()
    state.receiving = True
    state.bind_state = BIND_STATE_BOUND
    if state.recv_buffer_size is not None and truthy(state.recv_buffer_size):
        buffer_size(socket, state.recv_buffer_size, RECV_BUFFER)
    if state.send_buffer_size is not None and truthy(state.send_buffer_size):
        buffer_size(socket, state.send_buffer_size, SEND_BUFFER)
    socket.emit('listening')


def replace_handle(socket: SocketLike, new_handle: UDP) -> None:
    """Node's ``replaceHandle``: adopt ``new_handle`` (the old one's family,
    lookup and ref state), close the old one."""
    state = socket._state
    old = state.handle
    assert old is not None
    if not old.has_ref():
        new_handle.unref()
    new_handle.lookup = old.lookup
    new_handle.family = old.family
    new_handle.owner = socket
    old.close()
    state.handle = new_handle


def enqueue(socket: SocketLike, to_enqueue: Callable[[], Any]) -> None:
    # The first queued call installs the flush on 'listening' and the reset on
    # an error (an errorMonitor listener, so it does not count as handling).
    state = socket._state
    if state.queue is None:
        state.queue = []

        def on_listen_success() -> None:
            socket.remove_listener(error_monitor, on_listen_error)
            clear_queue(socket)

        def on_listen_error(err: BaseException) -> None:
            socket.remove_listener('listening', on_listen_success)
            socket._state.queue = None
        socket.once(error_monitor, on_listen_error)
        socket.once('listening', on_listen_success)
    state.queue.append(to_enqueue)


def clear_queue(socket: SocketLike) -> None:
    state = socket._state
    queue, state.queue = state.queue or [], None
    for entry in queue:
        entry()


def on_message(nread: int, handle: UDP, buf: bytes, rinfo: RemoteInfo) -> None:
    """Node's ``onMessage``, the receive path: one call per datagram, from
    UDPWrap's recv callback."""
    socket: SocketLike = handle.owner
    if nread < 0:
        socket.emit('error', errors.ErrnoException(nread, 'recvmsg'))
        return
    block_list = socket._state.receive_block_list
    if block_list is not None and block_list.check(rinfo.address, rinfo.family.lower()):
        return
    socket.emit('message', buf, rinfo)


def watch_signal(socket: SocketLike, signal: Any) -> None:
    """Node's ``options.signal``: an abort closes the socket."""
    validators.validate_abort_signal(signal, 'options.signal')

    def on_aborted(*_: Any) -> None:
        if socket._state.handle is not None:
            socket.close()
    aborted = signal['aborted'] if isinstance(signal, Mapping) else signal.aborted
    if truthy(aborted):
        on_aborted()
    elif not hasattr(signal, 'add_event_listener'):
        # Node's addAbortListener calls signal.addEventListener regardless.
        raise TypeError('signal.addEventListener is not a function')
    else:
        signal.add_event_listener('abort', on_aborted, {'once': True})
        socket.once('close', lambda: signal.remove_event_listener('abort', on_aborted))


def connect(socket: SocketLike, port: int, address: str, callback: Any) -> None:
    """Node's ``_connect``: resolve ``address``, then ``doConnect``."""
    if truthy(callback):
        socket.once('connect', callback)
    handle = handle_of(socket, 'lookup')
    assert handle.lookup is not None
    handle.lookup(address, lambda ex, ip=None, *_: do_connect(ex, socket, ip, address, port,
                                                              callback))


def do_connect(ex: BaseException | None, socket: SocketLike, ip: str, address: str,
               port: int, callback: Any) -> None:
    """Node's ``doConnect``: ``uv_udp_connect`` once the lookup is done."""
    state = socket._state
    if state.handle is None:
        return
    if ex is None and blocked(state.send_block_list, ip):
        ex = errors.ERR_IP_BLOCKED(ip)
    if ex is None:
        err = state.handle.connect(ip, port)
        if err:
            ex = errors.ExceptionWithHostPort(err, 'connect', address, port)
    if ex is not None:
        state.connect_state = CONNECT_STATE_DISCONNECTED
        failure = ex

        def report() -> None:
            if truthy(callback):
                socket.remove_listener('connect', callback)
                callback(failure)
            else:
                socket.emit('error', failure)
        loop.next_tick(report)
        return
    state.connect_state = CONNECT_STATE_CONNECTED
    loop.next_tick(socket.emit, 'connect')
