"""Node's lib/dgram.js: ``Socket``, ``create_socket``, the bind/connect state
machine, the queue of sends made while binding, and Node's errors.

Each public method validates its arguments, checks the state, calls the
UDPWrap handle (``udp_wrap.UDP``) and turns a libuv status code into Node's
error.  All per-socket state lives in ``socket._state`` (Node's
``socket[kStateSymbol]``).
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Callable, Mapping
from typing import Any

from . import dns, errors, loop, validators
from .args import (
    AnyCallback,
    Options,
    normalize_bind_args,
    normalize_options,
    slice_buffer,
    to_buffer_list,
    to_uint32,
    truthy,
)
from .events import EventEmitter, error_monitor
from .internal_dgram import (
    BIND_STATE_BINDING,
    BIND_STATE_BOUND,
    BIND_STATE_UNBOUND,
    CONNECT_STATE_CONNECTED,
    CONNECT_STATE_CONNECTING,
    CONNECT_STATE_DISCONNECTED,
    RECV_BUFFER,
    SEND_BUFFER,
    UNDEFINED,
    State,
    _create_socket_handle,
    buffer_size,
    deprecated,
    handle_of,
    health_check,
    new_handle,
    stop_receiving,
)
from .socket_options import SocketOptions
from .udp_wrap import (
    UDP,
    UV_UDP_IPV6ONLY,
    UV_UDP_REUSEADDR,
    UV_UDP_REUSEPORT,
    AddressInfo,
    RemoteInfo,
    SendWrap,
)
from .uv_compat import guess_handle

__all__ = ['Socket', 'create_socket', 'BIND_STATE_UNBOUND', 'BIND_STATE_BINDING',
           'BIND_STATE_BOUND', 'CONNECT_STATE_DISCONNECTED', 'CONNECT_STATE_CONNECTING',
           'CONNECT_STATE_CONNECTED', 'RemoteInfo', 'AddressInfo']

# --- the Socket -----------------------------------------------------------------------

class Socket(SocketOptions, EventEmitter):
    """Node's ``dgram.Socket``: an EventEmitter over one ``uv_udp_t``.

    ``Socket(type, listener)`` with ``type`` 'udp4', 'udp6' or an options
    mapping with Node's option names; keyword options (snake_case or Node's
    names) are merged into it.
    """

    def __init__(self, type: str | Mapping[str, Any] | None = None,  # noqa: A002
                 listener: AnyCallback | None = None, **options: Any) -> None:
        super().__init__()
        opts: Options = normalize_options(type, options)
        if truthy(opts.get('recvBufferSize')):
            validators.validate_uint32(opts['recvBufferSize'], 'options.recvBufferSize')
        if truthy(opts.get('sendBufferSize')):
            validators.validate_uint32(opts['sendBufferSize'], 'options.sendBufferSize')
        for name in ('receiveBlockList', 'sendBlockList'):
            if truthy(opts.get(name)) and not _is_block_list(opts[name]):
                raise errors.ERR_INVALID_ARG_TYPE(f'options.{name}', 'net.BlockList', opts[name])
        handle = new_handle(opts.get('type'), opts.get('lookup', UNDEFINED))
        handle.owner = self
        self.type = opts.get('type')
        if callable(listener):
            self.on('message', listener)
        self._state = State(handle, opts)
        if 'signal' in opts:
            self._watch_signal(opts['signal'])

    def _watch_signal(self, signal: Any) -> None:
        validators.validate_abort_signal(signal, 'options.signal')
        if signal is None:
            return

        def on_aborted(*_: Any) -> None:
            if self._state.handle is not None:
                self.close()
        aborted = signal['aborted'] if isinstance(signal, Mapping) else signal.aborted
        if truthy(aborted):
            on_aborted()
        elif not hasattr(signal, 'add_event_listener'):
            # Node's addAbortListener calls signal.addEventListener regardless.
            raise TypeError('signal.addEventListener is not a function')
        else:
            signal.add_event_listener('abort', on_aborted, {'once': True})
            self.once('close', lambda: signal.remove_event_listener('abort', on_aborted))

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
            _replace_handle(self, port)
            _start_listening(self)
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
        if _is_cluster_worker() and not exclusive:
            def on_error(err: int) -> None:
                self._state.bind_state = BIND_STATE_UNBOUND
                self.emit('error', errors.ErrnoException(err, 'open'))
            _bind_server_handle(self, {'address': None, 'port': None, 'addressType': self.type,
                                       'fd': fd, 'flags': None}, on_error)
            return self
        kind = guess_handle(fd)
        if kind != 'UDP':
            raise errors.ERR_INVALID_FD_TYPE(kind)
        assert self._state.handle is not None
        err = self._state.handle.open(fd)
        if err:
            raise errors.ErrnoException(err, 'open')
        _start_listening(self)
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
        if _is_cluster_worker() and not exclusive:
            def on_error(status: int) -> None:
                state.bind_state = BIND_STATE_UNBOUND
                self.emit('error', errors.ExceptionWithHostPort(status, 'bind', ip, port))
            _bind_server_handle(self, {'address': ip, 'port': port, 'addressType': self.type,
                                       'fd': -1, 'flags': flags}, on_error)
            return
        status = state.handle.bind(ip, to_uint32(port) & 0xFFFF if port else 0, flags)
        if status:
            state.bind_state = BIND_STATE_UNBOUND
            self.emit('error', errors.ExceptionWithHostPort(status, 'bind', ip, port))
            return
        _start_listening(self)

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
            _enqueue(self, lambda: self._connect(port, address, callback))
            return
        self._connect(port, address, callback)

    def _connect(self, port: int, address: str, callback: AnyCallback | None) -> None:
        if callback is not None:
            self.once('connect', callback)
        handle = handle_of(self, 'lookup')
        assert handle.lookup is not None
        handle.lookup(address, lambda ex, ip=None, *_: self._do_connect(ex, ip, address, port,
                                                                        callback))

    def _do_connect(self, ex: BaseException | None, ip: str, address: str, port: int,
                    callback: AnyCallback | None) -> None:
        state = self._state
        if state.handle is None:
            return
        if ex is None and _blocked(state.send_block_list, ip):
            ex = errors.ERR_IP_BLOCKED(ip)
        if ex is None:
            err = state.handle.connect(ip, port)
            if err:
                ex = errors.ExceptionWithHostPort(err, 'connect', address, port)
        if ex is not None:
            state.connect_state = CONNECT_STATE_DISCONNECTED
            failure = ex

            def report() -> None:
                if callback is not None:
                    self.remove_listener('connect', callback)
                    callback(failure)
                else:
                    self.emit('error', failure)
            loop.next_tick(report)
            return
        state.connect_state = CONNECT_STATE_CONNECTED
        loop.next_tick(self.emit, 'connect')

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
            _enqueue(self, lambda: self.send(buffers, port, address, callback))
            return
        if connected:
            _do_send(None, self, None, buffers, address, port, callback)
            return
        handle = state.handle
        assert handle is not None and handle.lookup is not None
        handle.lookup(address, lambda ex, ip=None, *_: _do_send(ex, self, ip, buffers, address,
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
        """Node's ``socket[Symbol.asyncDispose]()``: closes a socket that is open."""
        if self._state.handle is not None:
            self.close()

def _createSocketHandle(*args: Any) -> UDP | int:  # noqa: N802
    """Node's public, deprecated ``dgram._createSocketHandle`` (DEP0112)."""
    deprecated('dgram._createSocketHandle() is deprecated')
    return _create_socket_handle(*args)


def create_socket(type: str | Mapping[str, Any] | None = None,  # noqa: A002
                  listener: AnyCallback | None = None, **options: Any) -> Socket:
    """``dgram.createSocket(type|options, listener)``."""
    return Socket(type, listener, **options)


# --- private helpers (Node's module-level functions) ---------------------------------

def _is_block_list(value: object) -> bool:
    from .blocklist import BlockList
    return bool(BlockList.is_block_list(value))


def _blocked(block_list: Any, ip: str | None) -> bool:
    return bool(block_list is not None and ip and block_list.check(ip, f'ipv{dns.is_ip(ip)}'))


def _is_cluster_worker() -> bool:
    # Node's lazyLoadCluster().isWorker; the module loads only in a worker.
    if 'dgram_uv.cluster' not in sys.modules and 'NODE_UNIQUE_ID' not in os.environ:
        return False
    cluster: Any = importlib.import_module('.cluster', __package__)
    return bool(cluster.is_worker)


def _bind_server_handle(socket: Socket, options: dict[str, Any],
                        on_error: Callable[[int], None]) -> None:
    """Node's ``bindServerHandle``: ask the cluster primary for the bound handle."""
    cluster: Any = importlib.import_module('.cluster', __package__)
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
        _replace_handle(socket, handle)
        _start_listening(socket)
    cluster._get_server(socket, options, on_server)


def _start_listening(socket: Socket) -> None:
    state = socket._state
    assert state.handle is not None
    state.handle.onmessage = _on_message
    state.handle.recv_start()
    state.receiving = True
    state.bind_state = BIND_STATE_BOUND
    if state.recv_buffer_size:
        buffer_size(socket, state.recv_buffer_size, RECV_BUFFER)
    if state.send_buffer_size:
        buffer_size(socket, state.send_buffer_size, SEND_BUFFER)
    socket.emit('listening')


def _replace_handle(socket: Socket, new_handle: UDP) -> None:
    state = socket._state
    old = state.handle
    assert old is not None
    if not old.has_ref():
        new_handle.unref()
    new_handle.lookup = old.lookup
    if socket.type == 'udp6':   # Node copies the family's bind/send from the old handle
        new_handle.bind = new_handle.bind6  # type: ignore[method-assign]
        new_handle.send = new_handle.send6  # type: ignore[method-assign]
        new_handle.connect = new_handle.connect6  # type: ignore[method-assign]
    new_handle.owner = socket
    old.close()
    state.handle = new_handle


def _enqueue(socket: Socket, to_enqueue: Callable[[], Any]) -> None:
    # The first queued call installs the flush on 'listening' and the reset on
    # an error (an errorMonitor listener, so it does not count as handling).
    state = socket._state
    if state.queue is None:
        state.queue = []

        def on_listen_success() -> None:
            socket.remove_listener(error_monitor, on_listen_error)
            _clear_queue(socket)

        def on_listen_error(err: BaseException) -> None:
            socket.remove_listener('listening', on_listen_success)
            socket._state.queue = None
        socket.once(error_monitor, on_listen_error)
        socket.once('listening', on_listen_success)
    state.queue.append(to_enqueue)


def _clear_queue(socket: Socket) -> None:
    state = socket._state
    queue, state.queue = state.queue or [], None
    for entry in queue:
        entry()


def _do_send(ex: BaseException | None, socket: Socket, ip: str | None, buffers: list[Any],
             address: str | None, port: int | None, callback: AnyCallback | None) -> None:
    state = socket._state
    if ex is not None:
        if callback is not None:
            loop.next_tick(callback, ex)
        else:
            loop.next_tick(socket.emit, 'error', ex)
        return
    handle = state.handle
    if handle is None:
        return
    if ip is not None and _blocked(state.send_block_list, ip):
        if callback is not None:
            loop.next_tick(callback, errors.ERR_IP_BLOCKED(ip))
        return
    req = SendWrap()
    req.list = buffers
    req.address = address
    req.port = port
    if callback is not None:
        req.callback = callback
        req.oncomplete = _after_send
    err = handle.send(req, buffers, len(buffers), port if port else None,
                      ip if port else None, callback is not None)
    if err >= 1:
        # Synchronous finish: the code is msg_length + 1, as in Node.
        if callback is not None:
            loop.next_tick(callback, None, err - 1)
        return
    if err and callback is not None:
        loop.next_tick(callback, errors.ExceptionWithHostPort(err, 'send', address, port))


def _after_send(req: SendWrap, status: int, sent: int) -> None:
    err = errors.ExceptionWithHostPort(status, 'send', req.address, req.port) if status else None
    assert req.callback is not None
    req.callback(err, sent)


def _on_message(nread: int, handle: UDP, buf: bytes, rinfo: RemoteInfo) -> None:
    # The receive path: one call per datagram, from UDPWrap's recv callback.
    socket: Socket = handle.owner
    if nread < 0:
        socket.emit('error', errors.ErrnoException(nread, 'recvmsg'))
        return
    block_list = socket._state.receive_block_list
    if block_list is not None and block_list.check(rinfo.address, rinfo.family.lower()):
        return
    socket.emit('message', buf, rinfo)
