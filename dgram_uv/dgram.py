"""Node's lib/dgram.js: ``Socket``, ``create_socket``, the bind/connect state
machine, the queue of sends made while binding, and Node's errors.

Each public method validates its arguments, checks the state, calls the
UDPWrap handle (``udp_wrap.UDP``) and turns a libuv status code into Node's
error.  All per-socket state lives in ``socket._state`` (Node's
``socket[kStateSymbol]``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from . import cluster, dns
from ._binding import loop
from ._binding.udp_wrap import (
    UDP,
    UV_UDP_IPV6ONLY,
    UV_UDP_REUSEADDR,
    UV_UDP_REUSEPORT,
    AddressInfo,
    RemoteInfo,
)
from ._binding.uv_compat import guess_handle
from ._internal import errors, validators
from ._internal.args import (
    AnyCallback,
    Options,
    normalize_bind_args,
    normalize_options,
    slice_buffer,
    to_buffer_list,
    to_uint32,
    truthy,
)
from ._internal.child_process import HandleConversion, handle_conversion
from ._internal.dgram import (
    BIND_STATE_BINDING,
    BIND_STATE_BOUND,
    BIND_STATE_UNBOUND,
    CONNECT_STATE_CONNECTED,
    CONNECT_STATE_CONNECTING,
    CONNECT_STATE_DISCONNECTED,
    RECV_BUFFER,
    SEND_BUFFER,
    State,
    add_deprecated_members,
    bind_server_handle,
    buffer_size,
    create_socket_handle,
    deprecated,
    do_connect,
    do_send,
    enqueue,
    handle_of,
    health_check,
    new_handle,
    replace_handle,
    start_listening,
    stop_receiving,
    watch_signal,
)
from ._internal.events import EventEmitter
from .blocklist import BlockList

__all__ = ['Socket', 'create_socket', 'BIND_STATE_UNBOUND', 'BIND_STATE_BINDING',
           'BIND_STATE_BOUND', 'CONNECT_STATE_DISCONNECTED', 'CONNECT_STATE_CONNECTING',
           'CONNECT_STATE_CONNECTED', 'RemoteInfo', 'AddressInfo']

# --- the Socket -----------------------------------------------------------------------

class Socket(EventEmitter):
    """Node's ``dgram.Socket``: an EventEmitter over one ``uv_udp_t``.

    ``Socket(type, listener)`` with ``type`` 'udp4', 'udp6' or an options
    mapping with Node's option names; keyword options (snake_case or Node's
    names) are merged into it.
    """

    def __init__(self, type: str | Mapping[str, Any] | None = None,
                 listener: AnyCallback | None = None, **options: Any) -> None:
        super().__init__()
        opts: Options = normalize_options(type, options)
        if truthy(opts.get('recvBufferSize')):
            validators.validate_uint32(opts['recvBufferSize'], 'options.recvBufferSize')
        if truthy(opts.get('sendBufferSize')):
            validators.validate_uint32(opts['sendBufferSize'], 'options.sendBufferSize')
        for name in ('receiveBlockList', 'sendBlockList'):
            if truthy(opts.get(name)) and not BlockList.is_block_list(opts[name]):
                raise errors.ERR_INVALID_ARG_TYPE(f'options.{name}', 'net.BlockList', opts[name])
        # Node's newHandle reads dns.lookup when the socket is made (it may be patched).
        handle = new_handle(opts.get('type'), opts['lookup'] if 'lookup' in opts else dns.lookup)
        handle.owner = self
        self.type = opts.get('type')
        if callable(listener):
            self.on('message', listener)
        self._state = State(handle, opts)
        if 'signal' in opts:
            watch_signal(self, opts['signal'])

    # --- bind ---------------------------------------------------------------------
    def bind(self, *args: Any, **kwargs: Any) -> Socket:
        """``socket.bind(port, address, callback)`` or ``bind(options, callback)``.

        Resolves the address with the handle's lookup, then ``uv_udp_bind``
        (or ``uv_udp_open`` for ``{'fd': n}``); emits ``'listening'``.
        """
        args = normalize_bind_args(args, kwargs)
        health_check(self)
        state = self._state
        if state.bind_state != BIND_STATE_UNBOUND:
            raise errors.ERR_SOCKET_ALREADY_BOUND()
        state.bind_state = BIND_STATE_BINDING
        callback = args[-1] if args else None
        if callable(callback):
            self._once_bound(callback)
        port: Any = args[0] if args else None
        address: Any = args[1] if len(args) > 1 else None
        if isinstance(port, UDP):
            replace_handle(self, port)
            start_listening(self)
            return self
        exclusive = False
        if isinstance(port, Mapping):
            exclusive = bool(port.get('exclusive'))
            fd: Any = port.get('fd')
            if validators.is_integer(fd) and 0 < fd < 2 ** 31:
                return self._bind_fd(int(fd), exclusive)
            address = port.get('address') or ''
            port = port.get('port')
        elif callable(address):
            address = ''
        if not address:
            address = '0.0.0.0' if self.type == 'udp4' else '::'
        handle = state.handle
        assert handle is not None and handle.lookup is not None
        handle.lookup(address, lambda err, ip=None, *_: self._after_bind_lookup(err, ip, port,
                                                                                exclusive))
        return self

    def _once_bound(self, callback: AnyCallback) -> None:
        # Node's bind callback: a 'listening' listener, dropped on 'error'.
        def remove_listeners(*_: Any) -> None:
            self.remove_listener('error', remove_listeners)
            self.remove_listener('listening', on_listening)

        def on_listening() -> None:
            remove_listeners()
            callback()
        self.on('error', remove_listeners)
        self.on('listening', on_listening)

    def _bind_fd(self, fd: int, exclusive: bool) -> Socket:
        if cluster.is_worker and not exclusive:
            def on_error(err: int) -> None:
                self._state.bind_state = BIND_STATE_UNBOUND
                self.emit('error', errors.ErrnoException(err, 'open'))
            bind_server_handle(self, {'address': None, 'port': None, 'addressType': self.type,
                                       'fd': fd, 'flags': None}, on_error,
                               cluster._get_server)
            return self
        kind = guess_handle(fd)
        if kind != 'UDP':
            raise errors.ERR_INVALID_FD_TYPE(kind)
        assert self._state.handle is not None
        err = self._state.handle.open(fd)
        if err:
            raise errors.ErrnoException(err, 'open')
        start_listening(self)
        return self

    def _after_bind_lookup(self, err: BaseException | None, ip: str, port: Any,
                           exclusive: bool) -> None:
        state = self._state
        if state.handle is None:
            return  # closed meanwhile
        if err is not None:
            state.bind_state = BIND_STATE_UNBOUND
            self.emit('error', err)
            return
        flags = 0
        if state.reuse_addr:
            flags |= UV_UDP_REUSEADDR
        if state.ipv6_only:
            flags |= UV_UDP_IPV6ONLY
        if state.reuse_port:
            exclusive = True
            flags |= UV_UDP_REUSEPORT
        if cluster.is_worker and not exclusive:
            def on_error(status: int) -> None:
                state.bind_state = BIND_STATE_UNBOUND
                self.emit('error', errors.ExceptionWithHostPort(status, 'bind', ip, port))
            bind_server_handle(self, {'address': ip, 'port': port, 'addressType': self.type,
                                       'fd': -1, 'flags': flags}, on_error,
                               cluster._get_server)
            return
        status = state.handle.bind(ip, to_uint32(port) & 0xFFFF if port else 0, flags)
        if status:
            state.bind_state = BIND_STATE_UNBOUND
            self.emit('error', errors.ExceptionWithHostPort(status, 'bind', ip, port))
            return
        start_listening(self)

    # --- connect ------------------------------------------------------------------
    def connect(self, port: Any = None, address: Any = None,
                callback: AnyCallback | None = None) -> None:
        """``socket.connect(port, address, callback)``: ``uv_udp_connect`` after lookup."""
        port = validators.validate_port(port, 'Port', False)
        if callable(address):
            callback, address = address, ''
        elif address is None:
            address = ''
        validators.validate_string(address, 'address')
        state = self._state
        if state.connect_state != CONNECT_STATE_DISCONNECTED:
            raise errors.ERR_SOCKET_DGRAM_IS_CONNECTED()
        state.connect_state = CONNECT_STATE_CONNECTING
        if state.bind_state == BIND_STATE_UNBOUND:
            self.bind({'port': 0, 'exclusive': True}, None)
        if state.bind_state != BIND_STATE_BOUND:
            enqueue(self, lambda: self._connect(port, address, callback))
            return
        self._connect(port, address, callback)

    def _connect(self, port: int, address: str, callback: AnyCallback | None) -> None:
        if callback is not None:
            self.once('connect', callback)
        handle = handle_of(self, 'lookup')
        assert handle.lookup is not None
        handle.lookup(address, lambda ex, ip=None, *_: do_connect(ex, self, ip, address,
                                                                 port, callback))

    def disconnect(self) -> None:
        """``socket.disconnect()``: ``uv_udp_connect(handle, NULL)``."""
        state = self._state
        if state.connect_state != CONNECT_STATE_CONNECTED:
            raise errors.ERR_SOCKET_DGRAM_NOT_CONNECTED()
        err = handle_of(self, 'disconnect').disconnect()
        if err:
            raise errors.ErrnoException(err, 'connect')
        state.connect_state = CONNECT_STATE_DISCONNECTED

    # --- send ---------------------------------------------------------------------
    def sendto(self, buffer: Any = None, offset: Any = None, length: Any = None, port: Any = None,
               address: Any = None, callback: AnyCallback | None = None) -> None:
        """Node's legacy ``sendto``: ``send`` with every argument required."""
        validators.validate_number(offset, 'offset')
        validators.validate_number(length, 'length')
        validators.validate_number(port, 'port')
        validators.validate_string(address, 'address')
        self.send(buffer, offset, length, port, address, callback)

    def send(self, buffer: Any = None, offset: Any = None, length: Any = None, port: Any = None,
             address: Any = None, callback: Any = None) -> None:
        """``socket.send(msg[, offset, length][, port][, address][, callback])``.

        The twelve forms of Node; ``uv_udp_try_send`` first, ``uv_udp_send`` when
        the kernel would block. The callback gets ``(err, bytes)``.
        """
        state = self._state
        connected = state.connect_state == CONNECT_STATE_CONNECTED
        if not connected:
            if address or (port and not callable(port)):
                buffer = slice_buffer(buffer, offset, length)
            else:
                callback, port, address = port, offset, length
        else:
            if validators.is_number(length):
                buffer = slice_buffer(buffer, offset, length)
                if callable(port):
                    callback, port = port, None
            else:
                callback = offset
            if port or address:
                raise errors.ERR_SOCKET_DGRAM_IS_CONNECTED()
        buffers = to_buffer_list(buffer)
        if not connected:
            port = validators.validate_port(port, 'Port', False)
        if not callable(callback):
            callback = None
        if callable(address):
            callback, address = address, None
        elif address is not None:
            validators.validate_string(address, 'address')
        health_check(self)
        if state.bind_state == BIND_STATE_UNBOUND:
            self.bind({'port': 0, 'exclusive': True}, None)
        if not buffers:
            buffers.append(b'')
        if state.bind_state != BIND_STATE_BOUND:
            enqueue(self, lambda: self.send(buffers, port, address, callback))
            return
        if connected:
            do_send(None, self, None, buffers, address, port, callback)
            return
        handle = state.handle
        assert handle is not None and handle.lookup is not None
        handle.lookup(address, lambda ex, ip=None, *_: do_send(ex, self, ip, buffers, address,
                                                                port, callback))

    # --- close ----------------------------------------------------------------------
    def close(self, callback: Any = None) -> Socket:
        """``socket.close(callback)``: ``uv_close``; ``'close'`` on the next tick."""
        state = self._state
        if callable(callback):
            self.on('close', callback)
        if state.queue is not None:
            state.queue.append(self.close)
            return self
        health_check(self)
        stop_receiving(self)
        assert state.handle is not None
        state.handle.close()
        state.handle = None
        loop.next_tick(self.emit, 'close')
        return self

    def __enter__(self) -> Socket:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._state.handle is not None:
            self.close()

    async def __aenter__(self) -> Socket:
        return self

    async def __aexit__(self, *exc: object) -> None:
        """Node's ``socket[Symbol.asyncDispose]()``: close, then return after
        ``'close'`` (at once if closed already), the uv loop driven by the
        running asyncio loop meanwhile (``dgram_uv.aio``)."""
        if self._state.handle is not None:
            from ._internal import aio_bridge  # here: asyncio only for asyncio users
            await aio_bridge.settled(self.close)

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

    def ref(self) -> Socket:
        """``uv_ref``: the socket keeps ``run()`` going again."""
        if self._state.handle is not None:
            self._state.handle.ref()
        return self

    def unref(self) -> Socket:
        """``uv_unref``: the socket alone no longer keeps ``run()`` going."""
        if self._state.handle is not None:
            self._state.handle.unref()
        return self


add_deprecated_members(Socket)


def _createSocketHandle(*args: Any) -> UDP | int:
    """Node's public, deprecated ``dgram._createSocketHandle`` (DEP0112)."""
    deprecated('dgram._createSocketHandle() is deprecated')
    return create_socket_handle(*args)


def create_socket(type: str | Mapping[str, Any] | None = None,
                  listener: AnyCallback | None = None, **options: Any) -> Socket:
    """``dgram.createSocket(type|options, listener)``."""
    return Socket(type, listener, **options)


def _got_socket(message: Mapping[str, Any], handle: UDP, emit: Callable[[Any], None]) -> None:
    socket = Socket(message.get('dgramType'))
    socket.bind(handle, lambda: emit(socket))


# Node's handleConversion['dgram.Socket']: a Socket sent over an IPC channel.
handle_conversion['dgram.Socket'] = HandleConversion(
    Socket, lambda socket: socket._state.handle, lambda socket: {'dgramType': socket.type},
    _got_socket)
