"""Node's lib/dgram.js: ``Socket``, ``create_socket``, the bind/connect state
machine, the queue of sends made while binding, and Node's errors.

Each public method validates its arguments, checks the state, calls the
UDPWrap handle (``udp_wrap.UDP``) and turns a libuv status code into Node's
error.  All per-socket state lives in ``socket._state`` (Node's
``socket[kStateSymbol]``).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from typing import TYPE_CHECKING, Any, Literal, Self, Unpack, overload

from . import cluster, diagnostics_channel, dns
from ._binding import loop
from ._binding.udp_wrap import UDP, AddressInfo, RemoteInfo
from ._internal import dgram as internal
from ._internal import dgram_bind, errors, validators
from ._internal.api_types import (
    BindCallback,
    BindOptions,
    ConnectCallback,
    ErrorListener,
    Listener,
    Message,
    MessageListener,
    Port,
    SendCallback,
    SocketKeywords,
    SocketOptions,
    SocketType,
)
from ._internal.args import (
    UNDEFINED,
    AnyCallback,
    Options,
    bind_args,
    normalize_options,
    normalize_send_args,
    to_buffer_list,
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
)
from ._internal.dgram_deprecated import add_deprecated_members, create_socket_handle_deprecated
from ._internal.dgram_send import do_send, lookup_and_send, send_common
from ._internal.events import EventEmitter
from ._internal.jsvalues import get, is_object, truthy
from .blocklist import BlockList

__all__ = ['Socket', 'create_socket', 'RemoteInfo', 'AddressInfo']
_udp_socket_channel = diagnostics_channel.channel('udp.socket')   # each new Socket, as Node

# --- the Socket -----------------------------------------------------------------------

class Socket(EventEmitter):
    """Node's ``dgram.Socket``: an EventEmitter over one ``uv_udp_t`` (``uv_udp_init``).

    ``Socket(type, listener)`` with ``type`` 'udp4', 'udp6' or a
    ``SocketOptions`` mapping with Node's option names; keyword options
    (Node's names or snake_case: ``reuse_addr=True``) are merged into it.
    ``listener`` becomes a ``'message'`` listener.  Events: ``'listening'`` (),
    ``'message'`` (msg: bytes, rinfo: RemoteInfo), ``'connect'`` (),
    ``'close'`` (), ``'error'`` (err).  Raises ``ERR_SOCKET_BAD_TYPE``,
    ``ERR_INVALID_ARG_TYPE``/``ERR_OUT_OF_RANGE`` for a bad option.
    """

    def __init__(self, type: SocketType | SocketOptions | None = None,
                 listener: MessageListener | None = None,
                 **options: Unpack[SocketKeywords]) -> None:
        super().__init__()
        if not options and type.__class__ is str:   # create_socket('udp4'): nothing to check
            opts: Options = {'type': type}
        else:
            opts = normalize_options(type, options)
            internal.validate_options(opts, BlockList.is_block_list)
        # Node's newHandle reads dns.lookup when the socket is made (it may be patched).
        handle = internal.new_handle(opts.get('type'),
                                     opts['lookup'] if 'lookup' in opts else dns.lookup)
        handle.owner = self
        self.type = opts.get('type')
        if callable(listener):
            self.on('message', listener)
        self._state = State(handle, opts)
        if 'signal' in opts:
            internal.watch_signal(self, opts['signal'])
        if _udp_socket_channel.has_subscribers:
            _udp_socket_channel.publish({'socket': self})

    # --- bind ---------------------------------------------------------------------
    @overload
    def bind(self, port: Port | None = None, address: str | BindCallback | None = None,
             callback: BindCallback | None = None, *, exclusive: bool | None = None,
             fd: int | None = None) -> Socket: ...
    @overload
    def bind(self, options: BindOptions, callback: BindCallback | None = None, /) -> Socket: ...
    @overload
    def bind(self, handle: UDP, callback: BindCallback | None = None, /) -> Socket: ...

    def bind(self, port: Any = UNDEFINED, address: Any = UNDEFINED, callback: Any = UNDEFINED,
             *rest: Any, exclusive: Any = None, fd: Any = None) -> Socket:
        """Node's ``socket.bind()``: listen for datagrams on a port and address.

        Forms: ``bind(port=0, address='0.0.0.0' | '::', callback=None)``,
        ``bind(port, callback)``, ``bind(callback)``, ``bind(options, callback)``
        with ``options`` a mapping of ``port``, ``address``, ``exclusive``
        (in a cluster worker: bind alone instead of sharing the primary's
        socket) and ``fd`` (adopt an open UDP socket), or those as keywords.
        As in Node, the callback is the last argument given; it runs once,
        with no arguments, on ``'listening'``.

        The address goes through the socket's lookup (``dns.lookup``:
        ``uv_getaddrinfo``, or the next tick for an IP literal), then
        ``uv_udp_bind`` (``uv_udp_open`` for ``fd``) and ``uv_udp_recv_start``;
        ``'listening'`` follows.  Raises ``ERR_SOCKET_ALREADY_BOUND``,
        ``ERR_SOCKET_DGRAM_NOT_RUNNING`` (closed), ``ERR_INVALID_FD_TYPE``;
        a failed bind emits ``'error'`` (``bind EADDRINUSE 0.0.0.0:41234``).
        Returns the socket.
        """
        port, address, callback = bind_args(port, address, callback, rest, exclusive, fd)
        internal.health_check(self)
        state = self._state
        if state.bind_state != BIND_STATE_UNBOUND:
            raise errors.ERR_SOCKET_ALREADY_BOUND()
        state.bind_state = BIND_STATE_BINDING
        if callback is not None:
            dgram_bind.once_bound(self, callback)
        if isinstance(port, UDP):
            internal.replace_handle(self, port)
            internal.start_listening(self)
            return self
        exclusive = False
        if is_object(port):     # any object is Node's options: a list, a Buffer ...
            exclusive = truthy(get(port, 'exclusive'))
            fd = get(port, 'fd')
            if validators.is_integer(fd) and 0 < fd < 2 ** 31:
                dgram_bind.bind_fd(self, int(fd), exclusive, cluster._get_server)
                return self
            address = get(port, 'address', None)
            port = get(port, 'port', None)
        elif callable(address):
            address = ''
        if not truthy(address):
            address = '0.0.0.0' if self.type == 'udp4' else '::'
        dgram_bind.lookup_and_bind(self, address, port, exclusive, cluster._get_server)
        return self

    # --- connect ------------------------------------------------------------------
    @overload
    def connect(self, port: Port, address: str | None = None,
                callback: ConnectCallback | None = None) -> None: ...
    @overload
    def connect(self, port: Port, callback: ConnectCallback, /) -> None: ...

    def connect(self, port: Any = None, address: Any = None, callback: Any = None,
                *_: object) -> None:
        """Node's ``socket.connect(port, address='127.0.0.1' | '::1', callback)``:
        send to and receive from that peer only.

        Binds an unbound socket to port 0 first; resolves ``address`` with the
        socket's lookup, then ``uv_udp_connect``; ``'connect'`` follows, and
        ``callback()`` (or ``callback(err)``, else ``'error'``, on failure).
        Raises ``ERR_SOCKET_BAD_PORT``, ``ERR_INVALID_ARG_TYPE``,
        ``ERR_SOCKET_DGRAM_IS_CONNECTED``.
        """
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
            internal.enqueue(self, lambda: internal.connect(self, port, address, callback))
            return
        internal.connect(self, port, address, callback)

    def disconnect(self, *_: object) -> None:
        """Node's ``socket.disconnect()``: forget the peer (``uv_udp_connect(handle,
        NULL)``); ``ERR_SOCKET_DGRAM_NOT_CONNECTED`` if not connected."""
        state = self._state
        if state.connect_state != CONNECT_STATE_CONNECTED:
            raise errors.ERR_SOCKET_DGRAM_NOT_CONNECTED()
        err = internal.handle_of(self, 'disconnect').disconnect()
        if err:
            raise errors.ErrnoException(err, 'connect')
        state.connect_state = CONNECT_STATE_DISCONNECTED

    # --- send ---------------------------------------------------------------------
    def sendto(self, buffer: Any = None, offset: Any = None, length: Any = None, port: Any = None,
               address: Any = None, callback: AnyCallback | None = None, *_: object) -> None:
        """Node's legacy ``sendto``: ``send`` with every argument required."""
        validators.validate_number(offset, 'offset')
        validators.validate_number(length, 'length')
        validators.validate_number(port, 'port')
        validators.validate_string(address, 'address')
        self.send(buffer, offset, length, port, address, callback)

    @overload
    def send(self, msg: Message, port: Port | None = None, address: str | None = None,
             callback: SendCallback | None = None, /) -> None: ...
    @overload
    def send(self, msg: Message, offset: int, length: int, port: Port | None = None,
             address: str | None = None, callback: SendCallback | None = None, /) -> None: ...
    @overload
    def send(self, msg: Message, callback: SendCallback | None = None, /) -> None: ...
    @overload
    def send(self, msg: Message, offset: int, length: int, callback: SendCallback | None = None,
             /) -> None: ...
    @overload
    def send(self, msg: Message, /, *, offset: int | None = None, length: int | None = None,
             port: Port | None = None, address: str | None = None,
             callback: SendCallback | None = None) -> None: ...

    def send(self, msg: Any = None, /, *args: Any, offset: Any = None, length: Any = None,
             port: Any = None, address: Any = None, callback: Any = None) -> None:
        """Node's ``socket.send()``: one datagram with ``msg``'s bytes.

        ``msg``: bytes, bytearray, memoryview, str (sent as UTF-8) or a list or
        tuple of them (joined).  Node's positional forms, read as Node reads them:

        * ``send(msg, port, address=None, callback=None)``
        * ``send(msg, offset, length, port, address=None, callback=None)``
        * connected (after ``connect()``): ``send(msg, callback=None)``,
          ``send(msg, offset, length, callback=None)``

        With keywords, each says what it names: ``send(msg, port=P,
        address=H, callback=cb)`` sends the whole message; ``offset=``/
        ``length=`` (bytes) slice only when given.  Positional arguments
        before the keywords fill the short form ``(port, address, callback)``,
        or the long one when ``offset``/``length`` (or ``port`` and two
        positional values) are keywords.

        ``address`` defaults to ``'127.0.0.1'``/``'::1'`` and goes through the
        socket's lookup; an unbound socket is bound to port 0 first.  Then
        ``uv_udp_try_send``, and ``uv_udp_send`` if the kernel would block.
        ``callback(err, bytes)`` on success, ``callback(err)`` on failure
        (without a callback a failure emits ``'error'``).  Raises
        ``ERR_SOCKET_BAD_PORT``, ``ERR_INVALID_ARG_TYPE``,
        ``ERR_BUFFER_OUT_OF_BOUNDS``, ``ERR_SOCKET_DGRAM_IS_CONNECTED``,
        ``ERR_SOCKET_DGRAM_NOT_RUNNING``.
        """
        if (offset is None and length is None and port is None and address is None
                and callback is None and send_common(self, msg, args)):
            return
        state = self._state
        connected = state.connect_state == CONNECT_STATE_CONNECTED
        buffer, port, address, callback = normalize_send_args(
            connected, msg, args, offset, length, port, address, callback)
        buffers = to_buffer_list(buffer)
        if not connected:
            port = validators.validate_port(port, 'Port', False)
        if not callable(callback):
            callback = None
        if callable(address):
            callback, address = address, None
        elif address is not None:
            validators.validate_string(address, 'address')
        internal.health_check(self)
        if state.bind_state == BIND_STATE_UNBOUND:
            self.bind({'port': 0, 'exclusive': True}, None)
        if not buffers:
            buffers.append(b'')
        if state.bind_state != BIND_STATE_BOUND:
            internal.enqueue(self, lambda: self.send(buffers, port, address, callback))
            return
        if connected:
            loop.guard()
            do_send(None, self, None, buffers, address, port, callback)
            return
        lookup_and_send(self, buffers, address, port, callback)

    # --- close ----------------------------------------------------------------------
    def close(self, callback: Any = None, *_: object) -> Socket:
        """Node's ``socket.close(callback)``: ``uv_udp_recv_stop`` and ``uv_close``;
        ``'close'`` (and ``callback()``) on the next tick.  Returns the socket;
        ``ERR_SOCKET_DGRAM_NOT_RUNNING`` if already closed."""
        state = self._state
        if callable(callback):
            self.on('close', callback)
        if state.queue is not None:
            state.queue.append(self.close)
            return self
        internal.health_check(self)
        internal.stop_receiving(self)
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
    def address(self, *_: object) -> AddressInfo:
        """Node's ``socket.address()``: the bound ``address``, ``family``
        ('IPv4'/'IPv6') and ``port`` (``uv_udp_getsockname``); ``getsockname
        EBADF`` before bind, ``ERR_SOCKET_DGRAM_NOT_RUNNING`` once closed."""
        return internal.sock_or_peer_name(self, 'getsockname')

    def remote_address(self, *_: object) -> AddressInfo:
        """Node's ``socket.remoteAddress()``: the connected peer
        (``uv_udp_getpeername``); ``ERR_SOCKET_DGRAM_NOT_CONNECTED`` if none."""
        internal.health_check(self)
        if self._state.connect_state != CONNECT_STATE_CONNECTED:
            raise errors.ERR_SOCKET_DGRAM_NOT_CONNECTED()
        return internal.sock_or_peer_name(self, 'getpeername')

    # --- options (each raises Node's `<call> E...` error when libuv fails) ---------
    def set_broadcast(self, flag: object = None, *_: object) -> None:
        """``SO_BROADCAST`` on or off by ``flag``'s truth (``uv_udp_set_broadcast``)."""
        internal.handle_call(self, 'setBroadcast', 'set_broadcast', 1 if truthy(flag) else 0)

    def set_ttl(self, ttl: Any = None, *_: object) -> Any:
        """``IP_TTL``, 1 to 255 hops (``uv_udp_set_ttl``); returns ``ttl``."""
        validators.validate_number(ttl, 'ttl')
        internal.handle_call(self, 'setTTL', 'set_ttl', ttl)
        return ttl

    def set_multicast_ttl(self, ttl: Any = None, *_: object) -> Any:
        """``IP_MULTICAST_TTL``, 0 to 255 hops (``uv_udp_set_multicast_ttl``);
        returns ``ttl``."""
        validators.validate_number(ttl, 'ttl')
        internal.handle_call(self, 'setMulticastTTL', 'set_multicast_ttl', ttl)
        return ttl

    def set_multicast_loopback(self, flag: Any = None, *_: object) -> Any:
        """``IP_MULTICAST_LOOP`` by ``flag``'s truth (``uv_udp_set_multicast_loop``);
        returns ``flag``."""
        internal.handle_call(self, 'setMulticastLoopback', 'set_multicast_loopback',
                             1 if truthy(flag) else 0)
        return flag

    def set_multicast_interface(self, interface_address: Any = None, *_: object) -> None:
        """The outgoing multicast interface, an IP (``uv_udp_set_multicast_interface``)."""
        internal.health_check(self)
        validators.validate_string(interface_address, 'interfaceAddress')
        internal.handle_call(self, 'setMulticastInterface', 'set_multicast_interface',
                             interface_address)

    def add_membership(self, multicast_address: Any = None, interface_address: Any = None,
                       *_: object) -> None:
        """Join a multicast group (``uv_udp_set_membership(UV_JOIN_GROUP)``; an
        unbound socket is bound first, by libuv)."""
        internal.membership(self, 'addMembership', 'add_membership', multicast_address,
                            interface_address)

    def drop_membership(self, multicast_address: Any = None, interface_address: Any = None,
                        *_: object) -> None:
        """Leave a multicast group (``uv_udp_set_membership(UV_LEAVE_GROUP)``)."""
        internal.membership(self, 'dropMembership', 'drop_membership', multicast_address,
                            interface_address)

    def add_source_specific_membership(self, source_address: Any = None,
                                       group_address: Any = None,
                                       interface_address: Any = None, *_: object) -> None:
        """Join a source-specific group (``uv_udp_set_source_membership(UV_JOIN_GROUP)``)."""
        internal.source_membership(self, 'addSourceSpecificMembership',
                                   'add_source_specific_membership', source_address,
                                   group_address, interface_address)

    def drop_source_specific_membership(self, source_address: Any = None,
                                        group_address: Any = None,
                                        interface_address: Any = None, *_: object) -> None:
        """Leave a source-specific group (``uv_udp_set_source_membership(UV_LEAVE_GROUP)``)."""
        internal.source_membership(self, 'dropSourceSpecificMembership',
                                   'drop_source_specific_membership', source_address,
                                   group_address, interface_address)

    def set_recv_buffer_size(self, size: Any = None, *_: object) -> None:
        """``SO_RCVBUF`` in bytes (``uv_recv_buffer_size``); ``ERR_SOCKET_BUFFER_SIZE``
        on failure (e.g. unbound), ``ERR_SOCKET_BAD_BUFFER_SIZE`` for a bad size."""
        internal.buffer_size(self, size, RECV_BUFFER)

    def set_send_buffer_size(self, size: Any = None, *_: object) -> None:
        """``SO_SNDBUF`` in bytes (``uv_send_buffer_size``); errors as the receive one."""
        internal.buffer_size(self, size, SEND_BUFFER)

    def get_recv_buffer_size(self, *_: object) -> int:
        """``SO_RCVBUF`` in bytes (``uv_recv_buffer_size`` with 0: Linux reports double
        what was set)."""
        return internal.buffer_size(self, 0, RECV_BUFFER)

    def get_send_buffer_size(self, *_: object) -> int:
        """``SO_SNDBUF`` in bytes (``uv_send_buffer_size`` with 0)."""
        return internal.buffer_size(self, 0, SEND_BUFFER)

    def get_send_queue_size(self, *_: object) -> int:
        """Bytes queued by ``uv_udp_send`` and not yet sent
        (``uv_udp_get_send_queue_size``)."""
        return internal.handle_of(self, 'getSendQueueSize').get_send_queue_size()

    def get_send_queue_count(self, *_: object) -> int:
        """Sends queued by ``uv_udp_send`` and not yet completed
        (``uv_udp_get_send_queue_count``)."""
        return internal.handle_of(self, 'getSendQueueCount').get_send_queue_count()

    def ref(self, *_: object) -> Socket:
        """``uv_ref``: the socket keeps ``run()`` going again; returns the socket."""
        if self._state.handle is not None:
            self._state.handle.ref()
        return self

    def unref(self, *_: object) -> Socket:
        """``uv_unref``: the socket alone no longer keeps ``run()`` going; returns
        the socket."""
        if self._state.handle is not None:
            self._state.handle.unref()
        return self

    if TYPE_CHECKING:   # the dgram events' listener types, as @types/node has them
        @overload
        def on(self, event: Literal['message'], listener: MessageListener) -> Self: ...
        @overload
        def on(self, event: Literal['error'], listener: ErrorListener) -> Self: ...
        @overload
        def on(self, event: Literal['listening', 'connect', 'close'],
               listener: Listener) -> Self: ...
        @overload
        def on(self, event: Hashable, listener: Callable[..., object]) -> Self: ...
        def on(self, event: Hashable, listener: Callable[..., object]) -> Self: ...
        once = add_listener = prepend_listener = prepend_once_listener = on
        addListener = prependListener = prependOnceListener = on

    # Node's names (naming.camel_case of each method; tests/test_naming.py checks).
    addMembership = add_membership
    addSourceSpecificMembership = add_source_specific_membership
    dropMembership = drop_membership
    dropSourceSpecificMembership = drop_source_specific_membership
    getRecvBufferSize = get_recv_buffer_size
    getSendBufferSize = get_send_buffer_size
    getSendQueueCount = get_send_queue_count
    getSendQueueSize = get_send_queue_size
    remoteAddress = remote_address
    setBroadcast = set_broadcast
    setMulticastInterface = set_multicast_interface
    setMulticastLoopback = set_multicast_loopback
    setMulticastTTL = set_multicast_ttl
    setRecvBufferSize = set_recv_buffer_size
    setSendBufferSize = set_send_buffer_size
    setTTL = set_ttl


add_deprecated_members(Socket)


_createSocketHandle = create_socket_handle_deprecated   # Node's dgram._createSocketHandle


def create_socket(type: SocketType | SocketOptions | None = None,
                  listener: MessageListener | None = None,
                  **options: Unpack[SocketKeywords]) -> Socket:
    """Node's ``dgram.createSocket(type | options, listener)``: a new ``Socket``
    (see ``Socket``); ``create_socket(type='udp4', reuse_addr=True)`` too."""
    return Socket(type, listener, **options)


def _got_socket(message: Mapping[str, Any], handle: UDP, emit: Callable[[Any], None]) -> None:
    socket = Socket(message.get('dgramType'))
    socket.bind(handle, lambda: emit(socket))


# Node's handleConversion['dgram.Socket']: a Socket sent over an IPC channel.
handle_conversion['dgram.Socket'] = HandleConversion(
    Socket, lambda socket: socket._state.handle, lambda socket: {'dgramType': socket.type},
    _got_socket)
