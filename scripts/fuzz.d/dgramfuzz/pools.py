"""The pools of JS values the generator draws arguments from, one per role.

Each role mixes values the API accepts with the edge values JS's rules treat
specially (NaN, -0, numeric and hex strings, empty arrays and objects, ...).
Fixed ports lie outside Linux's ephemeral range (32768-60999), so that the
runners can tell a port the kernel chose from one a case named.
"""

from __future__ import annotations

from .safety import SAFE_DESTINATIONS
from .values import (
    ABORTED,
    NULL,
    U,
    Value,
    arr,
    b,
    buf,
    fn,
    num,
    obj,
    s,
)

# Ports that sockets of a case bind and send to.
FIXED_PORTS = (1234, 8080, 12345, 12346)

PORT: list[Value] = [
    *(num(p) for p in (0, 0, 12345, 12345, 12346, 8080, 1234, 65535, 65536, -1)),
    num('1.5'), num('NaN'), num('Infinity'), num('-Infinity'), num('-0'), num(2 ** 31),
    num(2 ** 53 + 2), num('1e+300'), num(12345, f=True), num(0, f=True),
    s('12345'), s('1234'), s('0x1F90'), s(' 12 '), s(''), s('0'), s('1e3'), s('-1'),
    b(True), b(False), arr(), arr(num(12345)), obj(), fn('f1'), U,
]

BIND_ADDRESS: list[Value] = [
    *(s(a) for a in ('127.0.0.1', '127.0.0.1', '::1', '::1', 'localhost', '', '0.0.0.0',
                     '::', '127.1', '::ffff:127.0.0.1', '::1%lo', '::1%999', 'fe80::1%lo',
                     '1234', '0x7f000001', '256.1.1.1', 'not an ip', '10.0.0.1')),
    U, fn('f1'), num(5), arr(), obj(), b(True),
]

DESTINATION: list[Value] = [
    *(s(a) for a in SAFE_DESTINATIONS), s('127.0.0.1'), s('::1'),
    U, U, num(5), b(True), arr(), obj(), fn('f2'),
]

TTL: list[Value] = [
    *(num(v) for v in (1, 64, 255, 0, 256, -1, 2 ** 31)),
    num('1.5'), num('NaN'), num('Infinity'), num(64, f=True),
    s('64'), U, b(True), arr(num(64)),
]

BOOLISH: list[Value] = [
    b(True), b(False), b(True), num(0), num(1), num('NaN'), num('-0'), s(''), s('x'),
    arr(), obj(), U, fn('f1'),
]

SIZE: list[Value] = [
    *(num(v) for v in (0, 1, 4096, 65536, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 2 ** 32, -1)),
    num('1.5'), num('NaN'), num('Infinity'), num(4096, f=True),
    s('4096'), U, b(True), arr(num(4096)),
]

MESSAGE: list[Value] = [
    s('hello'), s('hello'), s(''), buf('Buffer', b'hi'), buf('Buffer', b'hi'),
    buf('Buffer', b'\x00abc', off=1), buf('Uint8Array', b'abc'), buf('DataView', b'dv'),
    buf('Uint16Array', b'abcd'), buf('Buffer', b''), arr(), arr(s('a'), buf('Buffer', b'b')),
    arr(s('x'), num(5)), arr(buf('Uint8Array', b'u8'), tuple_=True), num(123), obj(), U,
    b(True), fn('f1'),
]

OFFSET: list[Value] = [
    *(num(v) for v in (0, 0, 1, 2, 5, 100, -1, 2 ** 32, 2 ** 32 + 1)),
    num('1.5'), num('NaN'), num('-0'), num(2, f=True), s('1'), arr(num(1)), arr(), U, b(True),
]

GROUP: list[Value] = [
    *(s(a) for a in ('224.0.0.114', '239.255.0.1', 'ff02::1', 'ff05::1', '127.0.0.1', '',
                     'not an ip', '1234', '224.0.0.114%lo')),
    U, num(5), arr(),
]

SOURCE: list[Value] = [
    *(s(a) for a in ('127.0.0.1', '::1', '10.0.0.1', '', '1234', '127.1', '::ffff:127.0.0.1',
                     'not an ip')),
    num(5), U,
]

INTERFACE: list[Value] = [
    *(s(a) for a in ('127.0.0.1', '0.0.0.0', '::1', '::', '::1%lo', '%lo', 'lo', '', '::%999')),
    U, num(5),
]

FAMILY: list[Value] = [
    *(s(a) for a in ('ipv4', 'ipv4', 'ipv6', 'ipv6', 'IPv4', 'IPV6', 'ipx', '')),
    U, num(4), b(True),
]

BL_ADDRESS: list[Value] = [
    *(s(a) for a in ('127.0.0.1', '127.0.0.1', '::1', '::1', '10.0.0.1', '10.0.0.255',
                     '::ffff:127.0.0.1', '127.1', 'not an ip', '1234', '::1%lo', '')),
    num(5), U,
]

PREFIX: list[Value] = [
    *(num(v) for v in (0, 8, 24, 32, 33, 64, 128, 129, -1)),
    num('1.5'), num('NaN'), num(8, f=True), s('8'), U,
]

TYPE: list[Value] = [
    s('udp4'), s('udp4'), s('udp4'), s('udp6'), s('udp6'), s('udp'), s('UDP4'), s(''),
    num(4), U, b(True),
]

CALLBACK: list[Value] = [fn('f1'), fn('f1'), fn('f2'), fn('f2'), fn('f3'), U, num(5), s('x'), obj()]

FD: list[Value] = [num(1), num(2), num(-1), num(0), num('1.5'), s('1'), num(2 ** 31), num('NaN')]

SIGNAL: list[Value] = [
    ABORTED, NULL, obj(), num(5), obj(('aborted', b(True))), obj(('aborted', b(False))),
    obj(('aborted', num(0))), U,
]

BLOCK_LIST_VALUE: list[Value] = [obj(), num(5), NULL, b(True), arr(), U]

EVENT: list[Value] = [s('error'), s('listening'), s('message'), s('close'), s('connect'), U]

ROLES: dict[str, list[Value]] = {
    'port': PORT, 'bind_address': BIND_ADDRESS, 'destination': DESTINATION, 'ttl': TTL,
    'boolish': BOOLISH, 'size': SIZE, 'message': MESSAGE, 'offset': OFFSET, 'group': GROUP,
    'source': SOURCE, 'interface': INTERFACE, 'family': FAMILY, 'bl_address': BL_ADDRESS,
    'prefix': PREFIX, 'type': TYPE, 'callback': CALLBACK, 'fd': FD, 'event': EVENT,
}

# Every value of every role, for arguments of the wrong kind (JS null only
# inside mappings: positionally it has no Python twin, see values.py).
ANY: list[Value] = [v for role in ROLES.values() for v in role]
