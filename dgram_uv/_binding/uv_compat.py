"""The libuv 1.49 UDP calls that pyuv 1.4.0 does not expose, done on the fd.

Each function performs on the socket's file descriptor the same system calls
that the named libuv function makes on Linux, and returns a libuv status code
(0, or a negative ``UV_E*``) instead of raising:

* ``uv_udp_connect`` / ``uv_udp_connect(NULL)`` (disconnect): ``connect(2)``,
  with an ``AF_UNSPEC`` address to dissolve the association;
* ``uv_udp_try_send`` with several buffers: ``sendmsg(2)`` (pyuv's takes one);
* ``uv_udp_getpeername``: ``getpeername(2)``;
* ``uv_udp_set_source_membership``: ``IP_ADD/DROP_SOURCE_MEMBERSHIP`` and
  ``MCAST_JOIN/LEAVE_SOURCE_GROUP``;
* ``uv_udp_bind`` with ``UV_UDP_REUSEPORT``: ``socket(2)``, ``SO_REUSEPORT``
  (plus ``SO_REUSEADDR``/``IPV6_V6ONLY`` per flag), ``bind(2)``; the caller
  then adopts the fd with ``uv_udp_open``;
* ``uv_guess_handle``: ``fstat(2)`` and ``SO_TYPE``/``SO_DOMAIN``.
"""

from __future__ import annotations

import ctypes
import errno
import os
import socket
import stat
import struct
from typing import Any

from .uv import status_of

UV_UDP_IPV6ONLY = 1
UV_UDP_REUSEADDR = 4
UV_UDP_REUSEPORT = 64   # libuv 1.49's value
UV_JOIN_GROUP = 1
UV_LEAVE_GROUP = 0

# Linux values (glibc netinet/in.h); Python's socket module lacks them.
IP_ADD_SOURCE_MEMBERSHIP = 39
IP_DROP_SOURCE_MEMBERSHIP = 40
MCAST_JOIN_SOURCE_GROUP = 46
MCAST_LEAVE_SOURCE_GROUP = 47

_libc = ctypes.CDLL(None, use_errno=True)


def ip4_addr(ip: str, port: int) -> tuple[str, int] | None:
    """``uv_ip4_addr``: ``inet_pton(AF_INET)`` of ``ip`` (so not ``'127.1'``), as
    pyuv's address tuple; None when it is not an IPv4 address."""
    ip = ip.partition('\0')[0]   # a C string ends at NUL
    try:
        socket.inet_pton(socket.AF_INET, ip)
    except (OSError, ValueError):
        return None
    return ip, port


def ip6_addr(ip: str, port: int) -> tuple[str, int, int, int] | None:
    """``uv_ip6_addr``: the part before ``%`` (at most 39 characters: libuv's
    buffer) by ``inet_pton(AF_INET6)``; the zone after it by
    ``if_nametoindex()``, scope 0 when no interface has that name (a number is
    a name too: ``'fe80::1%1'`` has scope 0).  pyuv's tuple, or None."""
    ip = ip.partition('\0')[0]
    address, percent, zone = ip.partition('%')
    scope = 0
    if percent:
        address = address[:39]
        try:
            scope = socket.if_nametoindex(zone)
        except (OSError, ValueError):
            scope = 0
    try:
        socket.inet_pton(socket.AF_INET6, address)
    except (OSError, ValueError):
        return None
    return address, port, 0, scope


def sockaddr(ip: str, port: int, family: int) -> tuple[Any, ...] | None:
    """``uv_ip4_addr`` or ``uv_ip6_addr`` by ``family``: pyuv's address tuple, or None."""
    if not isinstance(ip, str):
        return None
    return ip6_addr(ip, port) if family == socket.AF_INET6 else ip4_addr(ip, port)


def _with_socket(fd: int, action: Any) -> Any:
    # A borrowed Python socket over libuv's fd; detached so it never closes it.
    sock = socket.socket(fileno=fd)
    try:
        return action(sock)
    finally:
        sock.detach()


def connect(fd: int, ip: str, port: int) -> int:
    """``uv_udp_connect(handle, addr)``: ``connect(2)`` on the bound fd."""
    def run(sock: socket.socket) -> int:
        addr = sockaddr(ip, port, sock.family)
        if addr is None:
            return -errno.EINVAL
        sock.connect(addr)
        return 0
    try:
        return int(_with_socket(fd, run))
    except OSError as err:
        return status_of(err)


def try_send(fd: int, buffers: list[Any], addr: tuple[Any, ...] | None) -> int:
    """``uv_udp_try_send`` on the fd: one ``sendmsg(2)`` of all the buffers, to
    ``addr``, or with no address (None) on a connected handle, so that the
    kernel's peer counts (a peer on port 0 included, where sendto fails).
    The bytes sent, or a status (``UV_EAGAIN`` for ``EAGAIN``/``ENOBUFS``, as
    libuv maps them)."""
    try:
        return int(_with_socket(fd, lambda sock: sock.sendmsg(buffers) if addr is None
                                else sock.sendmsg(buffers, (), 0, addr)))
    except OSError as err:
        if err.errno in (errno.EAGAIN, errno.EWOULDBLOCK, errno.ENOBUFS):
            return -errno.EAGAIN
        return status_of(err)


def disconnect(fd: int) -> int:
    """``uv_udp_connect(handle, NULL)``: ``connect(2)`` to an ``AF_UNSPEC`` address."""
    unspec = ctypes.create_string_buffer(struct.pack('H', socket.AF_UNSPEC), 16)
    while True:
        if _libc.connect(fd, unspec, ctypes.c_uint32(16)) == 0:
            return 0
        err = ctypes.get_errno()
        if err == errno.EINTR:
            continue
        # libuv ignores EAFNOSUPPORT: some kernels answer it though they did disconnect.
        return 0 if err == errno.EAFNOSUPPORT else -err


def getpeername(fd: int) -> tuple[Any, ...] | int:
    """``uv_udp_getpeername``: the peer's sockaddr tuple, or a status code."""
    try:
        return tuple(_with_socket(fd, lambda sock: sock.getpeername()))
    except OSError as err:
        return status_of(err)


def set_source_membership(fd: int, multicast: str, interface: str | None, source: str,
                          membership: int) -> int:
    """``uv_udp_set_source_membership`` on an fd that is already bound (the
    caller has checked the group and the source, as libuv does before binding)."""
    group4 = ip4_addr(multicast, 0)
    try:
        if group4 is not None:
            src4 = ip4_addr(source, 0)
            # libuv reads the interface with uv_inet_pton (no zone, strict).
            iface4 = ip4_addr('0.0.0.0' if interface is None else interface, 0)
            if src4 is None or iface4 is None:
                return -errno.EINVAL
            mreq = (socket.inet_aton(group4[0]) + socket.inet_aton(iface4[0])
                    + socket.inet_aton(src4[0]))
            opt = IP_ADD_SOURCE_MEMBERSHIP if membership == UV_JOIN_GROUP \
                else IP_DROP_SOURCE_MEMBERSHIP
            _with_socket(fd, lambda s: s.setsockopt(socket.IPPROTO_IP, opt, mreq))
            return 0
        group6 = ip6_addr(multicast, 0)
        src6 = ip6_addr(source, 0)
        if group6 is None or src6 is None:
            return -errno.EINVAL
        index = 0
        if interface is not None:
            iface6 = ip6_addr(interface, 0)
            if iface6 is None:
                return -errno.EINVAL
            index = iface6[3]
        # struct group_source_req: u32 interface, padding, two sockaddr_storage.
        req = (struct.pack('I4x', index) + _sockaddr_in6(group6).ljust(128, b'\0')
               + _sockaddr_in6(src6).ljust(128, b'\0'))
        opt6 = MCAST_JOIN_SOURCE_GROUP if membership == UV_JOIN_GROUP \
            else MCAST_LEAVE_SOURCE_GROUP
        _with_socket(fd, lambda s: s.setsockopt(socket.IPPROTO_IPV6, opt6, req))
        return 0
    except OSError as err:
        return status_of(err)


def _sockaddr_in6(addr: tuple[Any, ...]) -> bytes:
    return (struct.pack('H', socket.AF_INET6) + struct.pack('!HI', addr[1], addr[2])
            + socket.inet_pton(socket.AF_INET6, addr[0]) + struct.pack('I', addr[3]))


def bind_reuseport(addr: tuple[Any, ...], family: int, flags: int, fd: int = -1) -> int:
    """``uv_udp_bind`` with ``UV_UDP_REUSEPORT`` on the handle's fd, or on a new
    socket when it has none yet: libuv's options per flag (``SO_REUSEADDR``,
    ``SO_REUSEPORT``, ``IPV6_V6ONLY``), then ``bind(2)`` of the raw sockaddr
    (an IPv4 address on an IPv6 socket is the kernel's EINVAL).  Returns 0
    (bound the handle's own fd), a new bound fd for the caller to adopt with
    ``uv_udp_open``, or a status code."""
    sock = socket.socket(family, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC) if fd < 0 \
        else socket.socket(fileno=fd)
    try:
        if flags & UV_UDP_REUSEADDR:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        if flags & UV_UDP_IPV6ONLY:
            sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        raw = _sockaddr_in6((*addr, 0, 0)[:4]) if family == socket.AF_INET6 else (
            struct.pack('H', socket.AF_INET) + struct.pack('!H', addr[1])
            + socket.inet_pton(socket.AF_INET, addr[0]) + bytes(8))
        if _libc.bind(sock.fileno(), raw, ctypes.c_uint32(len(raw))) != 0:
            err = ctypes.get_errno()
            # libuv: some systems say EAFNOSUPPORT for the other family's address.
            raise OSError(errno.EINVAL if err == errno.EAFNOSUPPORT else err, 'bind')
    except OSError as err:
        if fd < 0:
            sock.close()
        else:
            sock.detach()
        return status_of(err)
    new_fd = sock.detach()
    return 0 if fd >= 0 else new_fd


def guess_handle(fd: int) -> str:
    """``uv_guess_handle`` as Node names it: 'UDP', 'TCP', 'PIPE', 'FILE', 'TTY', 'UNKNOWN'."""
    try:
        mode = os.fstat(fd).st_mode
    except (OSError, OverflowError, ValueError):
        return 'UNKNOWN'
    if stat.S_ISREG(mode) or stat.S_ISCHR(mode) and not os.isatty(fd):
        return 'FILE'
    if stat.S_ISCHR(mode):
        return 'TTY'
    if stat.S_ISFIFO(mode):
        return 'PIPE'
    if not stat.S_ISSOCK(mode):
        return 'UNKNOWN'

    def kind(sock: socket.socket) -> str:
        domain = sock.getsockopt(socket.SOL_SOCKET, socket.SO_DOMAIN)
        stype = sock.getsockopt(socket.SOL_SOCKET, socket.SO_TYPE)
        if domain == socket.AF_UNIX:
            return 'PIPE'
        if domain in (socket.AF_INET, socket.AF_INET6):
            return {int(socket.SOCK_DGRAM): 'UDP', int(socket.SOCK_STREAM): 'TCP'}.get(stype,
                                                                                    'UNKNOWN')
        return 'UNKNOWN'
    try:
        return str(_with_socket(fd, kind))
    except OSError:
        return 'UNKNOWN'
