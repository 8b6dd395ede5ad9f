"""Node's UDPWrap (src/udp_wrap.cc): one method per libuv call on a ``uv_udp_t``.

Every method returns a libuv status code (0, or a negative ``UV_E*``) and never
raises for a libuv failure; ``dgram.py`` turns codes into Node's errors.  The
``uv_udp_t`` is a ``pyuv.UDP``.  Calls pyuv 1.4.0 lacks (``uv_udp_connect``,
``uv_udp_getpeername``, ``uv_udp_set_source_membership``,
``uv_udp_get_send_queue_count``, ``UV_UDP_REUSEPORT``) are made on the fd in
``uv_compat`` with the system calls libuv makes.

A handle is made for one address family (``UDP(AF_INET6)`` for udp6), as
Node's ``DoBind``/``DoSend`` take the family: ``bind``, ``connect`` and
``send`` parse addresses of that family (``uv_ip4_addr``/``uv_ip6_addr``).
Like Node's binding, ``lookup`` and ``onmessage`` are plain attributes the JS
layer sets.
"""

from __future__ import annotations

import functools
import os
import socket
from collections.abc import Callable, Sequence
from typing import Any

import attrs
import pyuv

from . import loop, uv_compat
from .loop import _tick_queue, _uncaught
from .uv import codes as _codes
from .uv import status_of

__all__ = ['UDP', 'SendWrap', 'SendRequest', 'RemoteInfo', 'AddressInfo', 'UV_UDP_IPV6ONLY',
           'UV_UDP_REUSEADDR', 'UV_UDP_REUSEPORT']

UV_UDP_IPV6ONLY = uv_compat.UV_UDP_IPV6ONLY
UV_UDP_REUSEADDR = uv_compat.UV_UDP_REUSEADDR
UV_UDP_REUSEPORT = uv_compat.UV_UDP_REUSEPORT
UV_EAGAIN = _codes['UV_EAGAIN']
UV_EALREADY = _codes['UV_EALREADY']
UV_EBADF = _codes['UV_EBADF']
UV_EINVAL = _codes['UV_EINVAL']
UV_ENOSYS = _codes['UV_ENOSYS']
UV_EDESTADDRREQ = _codes['UV_EDESTADDRREQ']
UV_EISCONN = _codes['UV_EISCONN']

# Node's --test-udp-no-try-send: always queue with uv_udp_send.
_NO_TRY_SEND = os.environ.get('DGRAM_UV_TEST_UDP_NO_TRY_SEND', '') not in ('', '0')
_UDPError = pyuv.error.UDPError
# The most buffers one sendmsg(2) takes (Linux: UIO_MAXIOV).
_IOV_MAX = os.sysconf('SC_IOV_MAX') if 'SC_IOV_MAX' in os.sysconf_names else 1024
_loop = loop.get_loop()


@attrs.define(slots=True)
class RemoteInfo:
    """``rinfo`` of a ``'message'`` event: address, family, port, size."""

    address: str
    family: str
    port: int
    size: int


@attrs.define(slots=True)
class AddressInfo:
    """What ``address()`` and ``remote_address()`` return."""

    address: str
    family: str
    port: int


class SendWrap:
    """Node's SendWrap: the request of one ``uv_udp_send``, built only when the
    datagram queues (``send`` gets its fields as a ``SendRequest`` tuple)."""

    __slots__ = ('list', 'address', 'port', 'callback', 'oncomplete')

    def __init__(self, list: Sequence[Any] = (), address: str | None = None,
                 port: int | None = None, callback: Callable[..., Any] | None = None,
                 oncomplete: Callable[..., Any] | None = None) -> None:
        self.list, self.address, self.port = list, address, port
        # oncomplete(req, status, sent): Node's req.oncomplete with `this`.
        self.callback, self.oncomplete = callback, oncomplete


# A SendWrap's fields: list, address, port, callback, oncomplete.
SendRequest = tuple[Sequence[Any], str | None, int | None, Callable[..., Any] | None,
                    Callable[..., Any] | None]


def _address_of(addr: tuple[Any, ...]) -> tuple[str, str]:
    """Node's AddressToJS: the scope of a link-local IPv6 address becomes
    ``%interface``."""
    if len(addr) == 2:
        return addr[0], 'IPv4'
    ip = addr[0]
    if addr[3] and _is_link_local(ip):
        try:
            ip = f'{ip}%{socket.if_indextoname(addr[3])}'
        except OSError:
            ip = f'{ip}%{addr[3]}'
    return ip, 'IPv6'


def _is_link_local(ip: str) -> bool:
    # IN6_IS_ADDR_LINKLOCAL: fe80::/10.
    packed = socket.inet_pton(socket.AF_INET6, ip)
    return packed[0] == 0xFE and packed[1] & 0xC0 == 0x80


def _fill(out: dict[str, Any], addr: tuple[Any, ...]) -> int:
    # Node's AddressToJS into the caller's object.
    out['address'], out['family'] = _address_of(addr)
    out['port'] = addr[1]
    return 0


@functools.lru_cache(maxsize=256)
def _is_ip(ip: str, family: int) -> bool:
    # inet_pton of an address without a zone (the common case, cached).
    try:
        socket.inet_pton(family, ip)
    except (OSError, ValueError, TypeError):
        return False
    return '\0' not in ip


# Per family, IPs known valid without a zone: their address is (ip, port) (send's shortcut).
_plain_ips: dict[int, set[str]] = {socket.AF_INET: set(), socket.AF_INET6: set()}


def _uv_addr(ip: str, port: int, family: int) -> tuple[Any, ...] | None:
    """``uv_ip4_addr``/``uv_ip6_addr``: pyuv's address tuple, or None if invalid.
    A ``%zone`` is resolved on every call, as libuv does (interfaces come and go)."""
    if type(ip) is str and ip in _plain_ips.get(family, ()):
        return (ip, port)
    if not isinstance(ip, str):
        return None
    if '%' in ip or '\0' in ip:
        return uv_compat.sockaddr(ip, port, family)
    if not _is_ip(ip, family):
        return None
    plain = _plain_ips.get(family)
    if plain is not None and type(ip) is str and len(plain) < 4096:
        plain.add(ip)
    return (ip, port)


def _to_int32(value: float) -> int:
    # JS ToInt32, as Node's binding reads numbers with Int32Value().
    if value != value or value in (float('inf'), float('-inf')):
        return 0
    return ((int(value) + 2 ** 31) % 2 ** 32) - 2 ** 31


_open_handles: set[UDP] = set()


class UDP:
    """Node's UDPWrap: ``UDP(family)`` is ``uv_udp_init`` on the process's loop;
    ``family`` is ``socket.AF_INET`` (udp4) or ``socket.AF_INET6`` (udp6)."""

    def __init__(self, family: int = socket.AF_INET, handle: pyuv.UDP | None = None) -> None:
        # `handle`: an existing uv_udp_t, one a cluster worker took from its
        # IPC pipe with uv_accept, as Node wraps the handle it receives.
        loop.guard()
        self._handle = pyuv.UDP(_loop) if handle is None else handle
        self.family = family
        # Like Node's HandleWrap, a handle lives until it is closed, referenced
        # or not: garbage collection would close its fd behind libuv's back.
        _open_handles.add(self)
        self.lookup: Callable[..., Any] | None = None
        self.onmessage: Callable[..., Any] | None = None
        self.owner: Any = None
        self._peer: tuple[Any, ...] | None = None
        self._send_queue_count = 0

    # --- binding -----------------------------------------------------------------
    def _bind(self, ip: str, port: int, flags: int, family: int) -> int:
        loop.guard()
        addr = _uv_addr(ip, port, family)
        if addr is None:
            return UV_EINVAL
        if flags & UV_UDP_REUSEPORT:
            # libuv's flag check first; then its options and bind(2) on the
            # handle's fd (an implicit bind made one), else on a new socket.
            if flags & UV_UDP_IPV6ONLY and family != socket.AF_INET6:
                return UV_EINVAL
            own = self.fd
            fd = uv_compat.bind_reuseport(addr, family, flags, own)
            return fd if own >= 0 or fd < 0 else self.open(fd)
        try:
            self._handle.bind(addr, flags & (UV_UDP_IPV6ONLY | UV_UDP_REUSEADDR))
        except (_UDPError, ValueError, TypeError, OverflowError) as err:
            return status_of(err)
        return 0

    def bind(self, ip: str, port: int, flags: int) -> int:
        """``uv_udp_bind`` with an address of the handle's family
        (``uv_ip4_addr``/``uv_ip6_addr``)."""
        return self._bind(ip, port, flags, self.family)

    def bind6(self, ip: str, port: int, flags: int) -> int:
        """Node's binding ``bind6``: ``uv_udp_bind`` with an IPv6 address."""
        return self._bind(ip, port, flags, socket.AF_INET6)

    def open(self, fd: int) -> int:
        """``uv_udp_open``: adopt an existing UDP socket."""
        loop.guard()
        try:
            self._handle.open(fd)
        except (_UDPError, ValueError, TypeError, OverflowError) as err:
            return status_of(err)
        return 0

    @property
    def fd(self) -> int:
        """``uv_fileno``, or -1 (Node's ``handle.fd``)."""
        try:
            return int(self._handle.fileno())
        except (_UDPError, pyuv.error.HandleClosedError):
            return -1

    # --- connecting ------------------------------------------------------------------
    def connect(self, ip: str, port: int) -> int:
        """``uv_udp_connect`` with an address of the handle's family."""
        addr = _uv_addr(ip, port, self.family)
        if addr is None:
            return UV_EINVAL
        fd = self.fd
        if fd < 0:
            return UV_EBADF
        err = uv_compat.connect(fd, ip, port)
        if err == 0:
            self._peer = addr
        return err

    def disconnect(self) -> int:
        """``uv_udp_connect(handle, NULL)``."""
        err = uv_compat.disconnect(self.fd)
        if err == 0:
            self._peer = None
        return err

    # --- sending ---------------------------------------------------------------------
    def send(self, req: SendRequest | None, buffers: Sequence[Any], count: int,
             port: int | None, ip: str | None, has_callback: bool) -> int:
        """``uv_udp_try_send``, then ``uv_udp_send`` when the kernel would block,
        to ``ip``:``port`` of the handle's family (``port`` None: the peer).

        Returns the size + 1 when the datagram went out synchronously (Node's
        ``UDPWrap::DoSend``), 0 when it was queued, or a negative status.
        """
        if port is None:
            addr: tuple[Any, ...] | None = self._peer
            if addr is None:
                return UV_EDESTADDRREQ
        else:
            # Node parses the address (EINVAL) before libuv refuses one on a
            # connected handle (EISCONN).
            if type(ip) is str and ip in _plain_ips[self.family]:
                addr = (ip, port)
            else:
                addr = _uv_addr(ip, port, self.family) if ip is not None else None
                if addr is None:
                    return UV_EINVAL
            if self._peer is not None:
                return UV_EISCONN
        if count > _IOV_MAX:
            return self._send_iov(req, buffers[:count], addr, has_callback)
        data = buffers[0] if count == 1 else b''.join(buffers[:count])
        size = data.nbytes if type(data) is memoryview else len(data)
        if not self._send_queue_count and not _NO_TRY_SEND:
            if port is None:
                # libuv sends on a connected handle with no address: the kernel's
                # peer (sendto to the peer fails for a peer on port 0).
                sent = uv_compat.try_send(self.fd, [data], None)
                if sent != UV_EAGAIN:
                    return size + 1 if sent >= 0 else sent
            try:
                self._handle.try_send(addr, data)
                return size + 1
            except _UDPError as err:
                status = status_of(err)
                if status != UV_EAGAIN and status != UV_ENOSYS:
                    return status
            except (ValueError, TypeError, OverflowError) as err:
                return status_of(err)
        return self._queue_send(req, data, addr, size, has_callback)

    def _send_iov(self, req: SendRequest | None, buffers: Sequence[Any], addr: tuple[Any, ...],
                  has_callback: bool) -> int:
        """More buffers than ``IOV_MAX``: libuv passes them all to ``sendmsg(2)``,
        which fails with ``EMSGSIZE`` -- from ``uv_udp_try_send`` at once, from
        ``uv_udp_send`` in its callback.  The same calls, with the list itself."""
        views = [memoryview(buffer) for buffer in buffers]
        size = sum(view.nbytes for view in views)
        if not _NO_TRY_SEND and not self._send_queue_count:
            fd = self.fd
            sent = uv_compat.try_send(fd, views, addr) if fd >= 0 else UV_EBADF
            if sent >= 0:
                return sent + 1
            if sent != UV_EAGAIN:
                return sent
        return self._queue_send(req, views, addr, size, has_callback)

    def _queue_send(self, req: SendRequest | None, data: Any, addr: tuple[Any, ...], size: int,
                    has_callback: bool) -> int:
        """``uv_udp_send``: the callback gets ``(status, size)`` when it completes."""
        loop.guard_io()
        wrap = SendWrap(*req) if req is not None else None

        def on_send(handle: pyuv.UDP, error: int | None) -> None:
            self._send_queue_count -= 1
            if has_callback and wrap is not None and wrap.oncomplete is not None:
                loop.make_callback(wrap.oncomplete, wrap, error or 0, size)
        try:
            self._handle.send(addr, data, on_send)
        except (_UDPError, ValueError, TypeError, OverflowError) as err:
            return status_of(err)
        self._send_queue_count += 1
        return 0

    def get_send_queue_size(self) -> int:
        """``uv_udp_get_send_queue_size``."""
        return int(self._handle.send_queue_size)

    def get_send_queue_count(self) -> int:
        """``uv_udp_get_send_queue_count``: the uv_udp_send requests not yet done."""
        return self._send_queue_count

    # --- receiving ------------------------------------------------------------------
    def recv_start(self) -> int:
        """``uv_udp_recv_start``; already receiving is not an error (as in Node)."""
        loop.guard_io()
        try:
            self._handle.start_recv(self._on_recv)
        except _UDPError as err:
            status = status_of(err)
            return 0 if status == UV_EALREADY else status
        return 0

    def recv_stop(self) -> int:
        """``uv_udp_recv_stop``."""
        loop.guard()
        try:
            self._handle.stop_recv()
        except (_UDPError, pyuv.error.HandleClosedError) as err:
            return status_of(err)
        return 0

    def _on_recv(self, handle: pyuv.UDP, addr: tuple[Any, ...] | None, flags: int,
                 data: bytes | None, error: int | None) -> None:
        # Node's UDPWrap::OnRecv -> onmessage(nread, handle, buf, rinfo); rinfo
        # carries size already, which Node's JS adds right after.
        onmessage = self.onmessage
        if onmessage is None:
            return
        if error is not None or addr is None or data is None:
            loop.make_callback(onmessage, error or UV_EINVAL, self, None, None)
            return
        nread = len(data)
        if len(addr) == 2:
            rinfo = RemoteInfo(addr[0], 'IPv4', addr[1], nread)
        else:
            ip, family = _address_of(addr)
            rinfo = RemoteInfo(ip, family, addr[1], nread)
        # loop.make_callback inlined (it keeps the call while an exception stops the loop)
        if _uncaught:
            loop.make_callback(onmessage, nread, self, data, rinfo)
            return
        onmessage(nread, self, data, rinfo)
        if _tick_queue:
            loop.process_ticks()

    # --- addresses -------------------------------------------------------------------
    def getsockname(self, out: dict[str, Any]) -> int:
        """``uv_udp_getsockname`` into ``out`` (address, family, port), as Node's
        ``handle.getsockname(out)``; returns the status."""
        try:
            return _fill(out, self._handle.getsockname())
        except (_UDPError, pyuv.error.HandleClosedError) as err:
            return status_of(err)

    def getpeername(self, out: dict[str, Any]) -> int:
        """``uv_udp_getpeername`` into ``out``; returns the status."""
        fd = self.fd
        if fd < 0:
            return UV_EBADF
        peer = uv_compat.getpeername(fd)
        return peer if isinstance(peer, int) else _fill(out, peer)

    # --- options ---------------------------------------------------------------------
    def _call(self, method: Callable[..., Any], *args: Any) -> int:
        try:
            method(*args)
        except (_UDPError, pyuv.error.HandleClosedError, ValueError, TypeError,
                OverflowError) as err:
            return status_of(err)
        return 0

    def add_membership(self, multicast: str, interface: str | None = None) -> int:
        """``uv_udp_set_membership(..., UV_JOIN_GROUP)``."""
        args = (multicast, pyuv.UV_JOIN_GROUP) + ((interface,) if interface is not None else ())
        return self._call(self._handle.set_membership, *args)

    def drop_membership(self, multicast: str, interface: str | None = None) -> int:
        """``uv_udp_set_membership(..., UV_LEAVE_GROUP)``."""
        args = (multicast, pyuv.UV_LEAVE_GROUP) + ((interface,) if interface is not None else ())
        return self._call(self._handle.set_membership, *args)

    def _source_membership(self, source: str, group: str, interface: str | None,
                           membership: int) -> int:
        # libuv parses the group, then the source, of the group's family
        # (uv_ip4_addr, else uv_ip6_addr) before it binds an unbound handle
        # (uv__udp_maybe_deferred_bind): a bad address leaves it unbound.
        v4 = uv_compat.ip4_addr(group, 0) is not None
        if not v4 and uv_compat.ip6_addr(group, 0) is None:
            return UV_EINVAL
        if (uv_compat.ip4_addr(source, 0) if v4 else uv_compat.ip6_addr(source, 0)) is None:
            return UV_EINVAL
        if self.fd < 0:
            err = self._bind('0.0.0.0' if v4 else '::', 0, UV_UDP_REUSEADDR,
                             socket.AF_INET if v4 else socket.AF_INET6)
            if err:
                return err
        return uv_compat.set_source_membership(self.fd, group, interface, source, membership)

    def add_source_specific_membership(self, source: str, group: str,
                                       interface: str | None = None) -> int:
        """``uv_udp_set_source_membership(..., UV_JOIN_GROUP)``."""
        return self._source_membership(source, group, interface, uv_compat.UV_JOIN_GROUP)

    def drop_source_specific_membership(self, source: str, group: str,
                                        interface: str | None = None) -> int:
        """``uv_udp_set_source_membership(..., UV_LEAVE_GROUP)``."""
        return self._source_membership(source, group, interface, uv_compat.UV_LEAVE_GROUP)

    def set_multicast_interface(self, interface: str) -> int:
        """``uv_udp_set_multicast_interface``."""
        return self._call(self._handle.set_multicast_interface, interface)

    def set_multicast_ttl(self, ttl: float) -> int:
        """``uv_udp_set_multicast_ttl``."""
        return self._call(self._handle.set_multicast_ttl, _to_int32(ttl))

    def set_multicast_loopback(self, on: int) -> int:
        """``uv_udp_set_multicast_loop``."""
        return self._call(self._handle.set_multicast_loop, bool(on))

    def set_broadcast(self, on: int) -> int:
        """``uv_udp_set_broadcast``."""
        return self._call(self._handle.set_broadcast, bool(on))

    def set_ttl(self, ttl: float) -> int:
        """``uv_udp_set_ttl``."""
        return self._call(self._handle.set_ttl, _to_int32(ttl))

    def buffer_size(self, size: int, is_recv: bool) -> int:
        """``uv_recv_buffer_size``/``uv_send_buffer_size``: get (size 0) or set;
        returns the size (bytes), or a negative status."""
        name = 'receive_buffer_size' if is_recv else 'send_buffer_size'
        try:
            if size > 2 ** 31 - 1:
                raise ValueError('size is not an int32')  # Node's binding: UV_EINVAL
            if size:
                setattr(self._handle, name, size)
            return int(getattr(self._handle, name))
        except (_UDPError, ValueError, TypeError, OverflowError) as err:
            return status_of(err)

    # --- handle ----------------------------------------------------------------------
    def ref(self) -> None:
        """``uv_ref``."""
        loop.guard()
        if not self._handle.closed:
            self._handle.ref = True

    def unref(self) -> None:
        """``uv_unref``."""
        loop.guard()
        if not self._handle.closed:
            self._handle.ref = False

    def has_ref(self) -> bool:
        """``uv_has_ref``: true while closing too, until the close callback (as Node's
        HandleWrap: a handle is unreferenced only once closed)."""
        return bool(self._handle.ref)

    def close(self, callback: Callable[[], Any] | None = None) -> None:
        """``uv_close``; the callback runs from libuv's close phase."""
        loop.guard()
        _open_handles.discard(self)
        if self._handle.closed:
            return
        self._handle.close(None if callback is None
                           else lambda handle: loop.make_callback(callback))

