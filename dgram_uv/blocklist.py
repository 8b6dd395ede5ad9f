"""Node's ``net.BlockList`` and the ``net.SocketAddress`` it accepts (Node v23.5.0).

Node keeps the rules in C++ (src/node_sockaddr.cc) behind lib/internal/blocklist.js
and lib/internal/socketaddress.js; this module does the same work on integers.
Every address is held as a 128-bit int, an IPv4 address as its IPv4-mapped IPv6
form (``::ffff:a.b.c.d``), which makes Node's cross-family rules plain arithmetic:

* an address rule matches an equal address: ``1.2.3.4`` matches ``::ffff:1.2.3.4``
  checked as ``'ipv6'`` and the other way round;
* a subnet rule compares the leading bits: an IPv4 ``/p`` is the mapped ``/(96 + p)``;
* a range rule compares only addresses Node finds comparable: an IPv4 address and
  an IPv6 address that is not IPv4-mapped are neither less, equal nor greater.
"""

from __future__ import annotations

import functools
import re
import socket
import unicodedata
import urllib.parse
from collections.abc import Mapping
from typing import Any, Final

from ._internal import errors, validators
from ._internal.naming import camel_aliases

__all__ = ['BlockList', 'SocketAddress']

_MAPPED: Final = 0xFFFF            # bits 32..47 of an IPv4-mapped IPv6 address
_V4_BITS: Final = _MAPPED << 32    # ::ffff:0.0.0.0
_FLOWLABEL_MAX: Final = 0xFFFFF    # the 20 bits of an IPv6 flow label


@functools.lru_cache(maxsize=4096)
def _parse(address: str, v4: bool) -> int | None:
    """``address`` as a 128-bit int (IPv4 mapped), or None when libuv rejects it.

    Cached: ``check`` runs per received datagram and peers repeat.
    """
    # glibc's inet_pton parses exactly as libuv's uv_inet_pton (both BSD's code;
    # checked against the oracle), and the ipaddress module does not: it parses
    # zone indexes and, on 3.11, prints mapped addresses as '::ffff:102:304'.
    # libuv reads a C string, so a NUL ends it, and drops an IPv6 zone ('%eth0').
    text = address.partition('\0')[0]
    try:
        if v4:
            return _V4_BITS | int.from_bytes(socket.inet_pton(socket.AF_INET, text))
        return int.from_bytes(socket.inet_pton(socket.AF_INET6, text.partition('%')[0]))
    except (OSError, ValueError):
        return None


def _format(value: int, v4: bool) -> str:
    """libuv's uv_inet_ntop text, which Node shows: '::ffff:1.2.3.4', '::f', '1::'."""
    if v4:
        return socket.inet_ntop(socket.AF_INET, (value & 0xFFFFFFFF).to_bytes(4))
    return socket.inet_ntop(socket.AF_INET6, value.to_bytes(16))


def _is_mapped(value: int) -> bool:
    return value >> 32 == _MAPPED


class SocketAddress:
    """Node's ``net.SocketAddress``: an IP address with port, family and flow label.

    ``SocketAddress({'address': '::1', 'family': 'ipv6', 'port': 80})`` or the same
    as keywords.  Node validates the options in order (family, address, port,
    flowlabel) and throws ``ERR_INVALID_ADDRESS`` for a string that is not an
    address of that family.  ``address`` reads back in libuv's normal form.
    """

    __slots__ = ('_value', '_v4', '_port', '_flowlabel', '_text', '__weakref__')

    def __init__(self, options: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        opts = dict(validators.validate_object(options, 'options')) if options is not None else {}
        opts.update(kwargs)
        given = opts.get('family')
        family = 'ipv4' if given is None else given
        # Node picks the default address before lowercasing the family, so
        # {family: 'IPV4'} defaults to '::' and fails: kept as Node has it.
        address = opts.get('address')
        if address is None:
            address = '127.0.0.1' if family == 'ipv4' else '::'
        if isinstance(family, str):
            family = family.lower()
        if family not in ('ipv4', 'ipv6'):
            raise errors.ERR_INVALID_ARG_VALUE('options.family', given)
        validators.validate_string(address, 'options.address')
        port = opts.get('port')
        port = validators.validate_port(0 if port is None else port, 'options.port')
        flowlabel = opts.get('flowlabel')
        flowlabel = validators.validate_uint32(0 if flowlabel is None else flowlabel,
                                               'options.flowlabel')
        v4 = family == 'ipv4'
        if not v4 and flowlabel > _FLOWLABEL_MAX:
            # Node fails a C++ CHECK and aborts the process here; raise instead.
            raise errors.ERR_OUT_OF_RANGE('options.flowlabel', f'>= 0 && <= {_FLOWLABEL_MAX}',
                                          flowlabel)
        value = _parse(address, v4)
        if value is None:
            raise errors.ERR_INVALID_ADDRESS()
        self._init(value, v4, port, 0 if v4 else flowlabel)

    def _init(self, value: int, v4: bool, port: int = 0, flowlabel: int = 0) -> None:
        self._value = value
        self._v4 = v4
        self._port = port
        self._flowlabel = flowlabel
        self._text = _format(value, v4)

    @classmethod
    def _make(cls, value: int, v4: bool, port: int = 0) -> SocketAddress:
        self = object.__new__(cls)
        self._init(value, v4, port)
        return self

    @property
    def address(self) -> str:
        return self._text

    @property
    def port(self) -> int:
        return self._port

    @property
    def family(self) -> str:
        return 'ipv4' if self._v4 else 'ipv6'

    @property
    def flowlabel(self) -> int:
        return self._flowlabel

    def to_json(self) -> dict[str, Any]:
        """Node's ``toJSON()``: address, port, family and flowlabel."""
        return {'address': self.address, 'port': self.port, 'family': self.family,
                'flowlabel': self.flowlabel}

    def __repr__(self) -> str:
        # Node's util.inspect text, which Node's error messages quote.
        return (f"SocketAddress {{ address: '{self.address}', port: {self.port}, "
                f"family: '{self.family}', flowlabel: {self.flowlabel} }}")

    @staticmethod
    def is_socket_address(value: object) -> bool:
        """Node's ``SocketAddress.isSocketAddress``."""
        return isinstance(value, SocketAddress)

    @staticmethod
    def parse(input: str) -> SocketAddress | None:
        """Node's ``SocketAddress.parse('ip:port')``; None where Node returns undefined.

        Node reads ``input`` as the host and port of an ``http://`` URL, so IPv4
        takes the WHATWG forms (``'256'`` is 0.0.1.0, ``'0xffffffff'``), IPv6 is
        bracketed, and port 80 (http's default) reads as 0.
        """
        validators.validate_string(input, 'input')
        return _parse_url_host(input)

    # Node's names (naming.camel_case of each method; tests/test_naming.py checks).
    toJSON = to_json
    isSocketAddress = is_socket_address


# --- SocketAddress.parse: the part of the WHATWG URL parser that can yield an IP ---

_DIGITS: Final = {8: frozenset('01234567'), 10: frozenset('0123456789'),
                  16: frozenset('0123456789abcdefABCDEF')}
_DOTS: Final = str.maketrans({'\u3002': '.', '\uff0e': '.', '\uff61': '.'})


def _ipv4_number(part: str) -> int | None:
    base = 10
    if part[:2] in ('0x', '0X'):
        part, base = part[2:], 16
    elif len(part) > 1 and part[0] == '0':
        part, base = part[1:], 8
    if part and not set(part) <= _DIGITS[base]:
        return None
    return int(part, base) if part else 0


def _whatwg_ipv4(host: str) -> int | None:
    """The WHATWG IPv4 parser; None for a failure or a host that is a domain."""
    parts = host.split('.')
    if parts[-1] == '' and len(parts) > 1:
        parts.pop()
    if not parts[-1] or (not parts[-1].isdigit() and _ipv4_number(parts[-1]) is None):
        return None             # does not end in a number: a domain, never an IP
    numbers = [_ipv4_number(p) if p else None for p in parts]
    if len(parts) > 4 or any(n is None for n in numbers):
        return None
    nums = [n for n in numbers if n is not None]
    if any(n > 255 for n in nums[:-1]) or nums[-1] >= 256 ** (5 - len(nums)):
        return None
    return sum(n << (8 * (3 - i)) for i, n in enumerate(nums[:-1])) + nums[-1]


def _parse_url_host(text: str) -> SocketAddress | None:
    # 'http://' + input: only the end of input is stripped of C0 controls and
    # spaces, and a leading space makes the host invalid.
    text = re.sub('[\t\n\r]', '', text.rstrip(''.join(map(chr, range(0x21)))))
    authority = re.split(r'[/\\?#]', text, maxsplit=1)[0]
    hostport = authority.rpartition('@')[2]
    host, port_text, bracketed = hostport, '', False
    for i, ch in enumerate(hostport):
        bracketed = (bracketed or ch == '[') and ch != ']'
        if ch == ':' and not bracketed:
            host, port_text = hostport[:i], hostport[i + 1:]
            break
    if not host or (port_text and not set(port_text) <= _DIGITS[10]):
        return None
    port = int(port_text) if port_text else 0
    if port > 0xFFFF:
        return None
    port = 0 if port == 80 else port
    if host[0] == '[':
        try:
            if host[-1] != ']' or '\0' in host:
                return None
            raw = socket.inet_pton(socket.AF_INET6, host[1:-1])
        except (OSError, ValueError):
            return None
        return SocketAddress._make(int.from_bytes(raw), False, port)
    # Domain-to-ASCII approximated by NFKC and lowercasing: whatever is left
    # non-ASCII can only be a domain, and a domain never makes an address.
    host = unicodedata.normalize('NFKC', urllib.parse.unquote(host)).translate(_DOTS).lower()
    value = _whatwg_ipv4(host) if host.isascii() else None
    return None if value is None else SocketAddress._make(_V4_BITS | value, True, port)


# --- BlockList ------------------------------------------------------------------------

class BlockList:
    """Node's ``net.BlockList``: rules that block IP addresses, ranges and subnets.

    Addresses are strings of the given family (``'ipv4'`` or ``'ipv6'``, any case;
    None is JS's undefined, so the default) or :class:`SocketAddress` objects,
    whose own family then counts.  ``check`` returns False for a string that is
    not an address, as Node does; the ``add_*`` methods raise ``ERR_INVALID_ADDRESS``.
    """

    # '__dict__' so that an instance's methods can be replaced, as JS allows (Node's
    # test-dgram-blocklist replaces check()).
    __slots__ = ('_texts', '_exact', '_subnets', '_ranges', '__weakref__', '__dict__')

    def __init__(self) -> None:
        self._texts: list[str] = []                  # oldest first; `rules` reverses
        self._exact: set[int] = set()
        self._subnets: list[tuple[int, int]] = []    # (shift, network >> shift)
        self._ranges: list[tuple[int, bool, bool, int, bool, bool]] = []

    @staticmethod
    def is_block_list(value: object = None, *_: object) -> bool:
        """Node's ``BlockList.isBlockList``."""
        return isinstance(value, BlockList)

    def add_address(self, address: str | SocketAddress | None = None,
                    family: str | None = 'ipv4', *_: object) -> None:
        """Block one address (Node's ``addAddress``)."""
        sa = _to_address(address, family, 'address')
        self._exact.add(sa._value)
        self._texts.append(f'Address: {_label(sa)} {sa.address}')

    def add_range(self, start: str | SocketAddress | None = None,
                  end: str | SocketAddress | None = None, family: str | None = 'ipv4',
                  *_: object) -> None:
        """Block ``start`` to ``end`` inclusive (Node's ``addRange``).

        ``ERR_INVALID_ARG_VALUE`` when start is greater than end; a start and end
        Node cannot compare (IPv4 against IPv6 that is not mapped) are accepted.
        """
        first = _to_address(start, family, 'start')
        last = _to_address(end, family, 'end')
        if _comparable(first._v4, first._value, last._v4, last._value) and \
                first._value > last._value:
            raise errors.ERR_INVALID_ARG_VALUE('start', first, 'must come before end')
        self._ranges.append((first._value, first._v4, _is_mapped(first._value),
                             last._value, last._v4, _is_mapped(last._value)))
        self._texts.append(f'Range: {_label(first)} {first.address}-{last.address}')

    def add_subnet(self, net: str | SocketAddress | None = None, prefix: int | None = None,
                   family: str | None = 'ipv4', *_: object) -> None:
        """Block the subnet ``net/prefix`` (Node's ``addSubnet``; prefix 0-32 or 0-128)."""
        sa = _to_address(net, family, 'network')
        bits = validators.validate_int32(prefix, 'prefix', 0, 32 if sa._v4 else 128)
        shift = 128 - (96 + bits if sa._v4 else bits)
        self._subnets.append((shift, sa._value >> shift))
        self._texts.append(f'Subnet: {_label(sa)} {sa.address}/{bits}')

    def check(self, address: str | SocketAddress | None = None, family: str | None = 'ipv4',
              *_: object) -> bool:
        """True when a rule blocks ``address`` (Node's ``check``).

        A string that is not an address, or a family other than ipv4/ipv6, is
        not blocked (False); a non-string address or family is a TypeError.
        """
        if isinstance(address, SocketAddress):
            v4, value = address._v4, address._value
        else:
            validators.validate_string(address, 'address')
            kind = validators.validate_string('ipv4' if family is None else family,
                                              'family').lower()
            if kind != 'ipv4' and kind != 'ipv6':
                return False
            v4 = kind == 'ipv4'
            parsed = _parse(address, v4)
            if parsed is None:
                return False
            value = parsed
        if value in self._exact:
            return True
        for shift, network in self._subnets:
            if value >> shift == network:
                return True
        if self._ranges:
            mapped = _is_mapped(value)
            for low, low_v4, low_mapped, high, high_v4, high_mapped in self._ranges:
                if ((v4 == low_v4 or (mapped and low_mapped))
                        and (v4 == high_v4 or (mapped and high_mapped))
                        and low <= value <= high):
                    return True
        return False

    @property
    def rules(self) -> list[str]:
        """The rules as Node prints them, newest first: ``'Subnet: IPv4 8.8.8.0/24'``."""
        return self._texts[::-1]

    def __repr__(self) -> str:
        return f'BlockList {{ rules: {self.rules!r} }}'

    # Node's names (naming.camel_case of each method; tests/test_naming.py checks).
    isBlockList = is_block_list
    addAddress = add_address
    addRange = add_range
    addSubnet = add_subnet


def _to_address(value: object, family: object, name: str) -> SocketAddress:
    # Node builds a SocketAddress from a string after validating both strings.
    if isinstance(value, SocketAddress):
        return value
    validators.validate_string(value, name)
    validators.validate_string('ipv4' if family is None else family, 'family')
    return SocketAddress(address=value, family=family)


def _comparable(a_v4: bool, a: int, b_v4: bool, b: int) -> bool:
    # Node compares IPv4 with IPv6 only when the IPv6 address is IPv4-mapped.
    return a_v4 == b_v4 or (_is_mapped(a) and _is_mapped(b))


def _label(sa: SocketAddress) -> str:
    return 'IPv4' if sa._v4 else 'IPv6'


camel_aliases(SocketAddress, {'to_json': 'toJSON'})
camel_aliases(BlockList)
