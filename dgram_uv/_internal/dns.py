"""Node's ``dns.lookup`` over ``uv_getaddrinfo`` (pyuv.dns), and ``net.isIP``.

An IP literal or an empty hostname completes on the next tick, without asking
the resolver, as in Node; a name goes to ``uv_getaddrinfo`` on libuv's thread
pool and completes from the loop with Node's errors (``getaddrinfo ENOTFOUND
host``).  The name libuv gets is the one Node gives it (``idna.to_ascii``);
one Node's IDNA conversion rejects fails with ``getaddrinfo EINVAL``, on the
next tick, as does any call libuv refuses at once (a name over 255 bytes).
A lookup never raises for what the hostname contains.
"""

from __future__ import annotations

import re
import socket
from collections.abc import Callable, Mapping
from typing import Any

import pyuv

from .._binding import loop
from .._binding.uv import status_of
from . import errors, validators
from .idna import to_ascii
from .jsvalues import truthy

__all__ = ['lookup', 'lookup4', 'lookup6', 'is_ip', 'is_ipv4', 'is_ipv6']

_ZONE = re.compile(r'^[0-9A-Za-z._~-]+$')


def is_ipv4(address: object) -> bool:
    """Node's ``net.isIPv4`` (dotted quad, no leading zeros beyond one digit)."""
    if not isinstance(address, str) or address.count('.') != 3:
        return False
    parts = address.split('.')
    return all(p.isdigit() and p.isascii() and int(p) <= 255 and (p == '0' or p[0] != '0')
               for p in parts)


def is_ipv6(address: object) -> bool:
    """Node's ``net.isIPv6``, a ``%zone`` suffix included."""
    if not isinstance(address, str) or ':' not in address:
        return False
    ip, _, zone = address.partition('%')
    if '%' in address and not _ZONE.match(zone):
        return False
    try:
        socket.inet_pton(socket.AF_INET6, ip)
    except (OSError, ValueError):
        return False
    return True


def _classify(address: str) -> int:
    return 4 if is_ipv4(address) else 6 if is_ipv6(address) else 0


# Node's isIP on the same few addresses again and again (every send names its
# destination): the answer per string (4, 6 or 0), remembered.  Bounded:
# cleared when full.
ip_families: dict[str, int] = {}
_FAMILIES_MAX = 4096


def is_ip(address: object) -> int:
    """Node's ``net.isIP``: 4, 6 or 0."""
    if type(address) is not str:
        return 4 if is_ipv4(address) else 6 if is_ipv6(address) else 0
    family = ip_families.get(address)
    if family is None:
        if len(ip_families) >= _FAMILIES_MAX:
            ip_families.clear()
        family = ip_families[address] = _classify(address)
    return family


_UV_EAI_NONAME = -3008   # libuv's UV_EAI_NONAME
_FAMILIES = {0: socket.AF_UNSPEC, 4: socket.AF_INET, 6: socket.AF_INET6}


def lookup(hostname: str | None, options: int | Mapping[str, Any] | Callable[..., Any] | None,
           callback: Callable[..., Any] | None = None) -> None:
    """``dns.lookup(hostname, family|options, callback)``: ``callback(err, address, family)``."""
    if truthy(hostname):
        validators.validate_string(hostname, 'hostname')
    family = 0
    if callable(options):
        callback, options = options, None
    elif isinstance(options, int) and not isinstance(options, bool):
        validators.validate_one_of(options, 'family', (0, 4, 6))
        family = options
    elif isinstance(options, Mapping):
        requested: Any = options.get('family', 0)
        requested = {'IPv4': 4, 'IPv6': 6}.get(requested, requested)
        validators.validate_one_of(requested, 'options.family', (0, 4, 6))
        family = int(requested)
    elif options is not None:
        raise errors.ERR_INVALID_ARG_TYPE('options', ['integer', 'object'], options)
    done = validators.validate_function(callback, 'callback')
    if not truthy(hostname):
        loop.next_tick(done, None, None, 6 if family == 6 else 4)
        return
    assert isinstance(hostname, str)   # a truthy hostname was validated above
    matched = is_ip(hostname)
    if matched:
        loop.next_tick(done, None, hostname, matched)
        return

    def on_getaddrinfo(result: list[Any] | None, error: int | None) -> None:
        if error is not None or not result:
            status = error if error is not None else _UV_EAI_NONAME
            loop.make_callback(done, errors.DNSException(status, 'getaddrinfo', hostname))
            return
        entry = result[0]
        family_found = 6 if entry.family == socket.AF_INET6 else 4
        loop.make_callback(done, None, entry.sockaddr[0], family_found)

    loop.guard()
    try:
        pyuv.dns.getaddrinfo(loop.get_loop(), to_ascii(hostname), None, _FAMILIES[family],
                             socket.SOCK_DGRAM, 0, 0, on_getaddrinfo)
    except pyuv.error.UVError as err:
        # uv_getaddrinfo failed at once: Node reports it on the next tick.
        loop.next_tick(done, errors.DNSException(status_of(err), 'getaddrinfo', hostname))


def lookup4(address: str | None, callback: Callable[..., Any]) -> None:
    """Node's ``lookup4`` over ``lookup``: a udp4 handle's lookup (no default
    hostname given: 127.0.0.1).  An IP literal takes the same path as in
    ``lookup``, without its argument handling."""
    if type(address) is str:
        hostname: Any = address or '127.0.0.1'
        family = ip_families.get(hostname)
        if family and callable(callback):
            loop.next_tick(callback, None, hostname, family)
            return
    else:
        hostname = address if truthy(address) else '127.0.0.1'
    lookup(hostname, 4, callback)


def lookup6(address: str | None, callback: Callable[..., Any]) -> None:
    """Node's ``lookup6`` over ``lookup``: a udp6 handle's lookup (default ::1)."""
    if type(address) is str:
        hostname: Any = address or '::1'
        family = ip_families.get(hostname)
        if family and callable(callback):
            loop.next_tick(callback, None, hostname, family)
            return
    else:
        hostname = address if truthy(address) else '::1'
    lookup(hostname, 6, callback)
