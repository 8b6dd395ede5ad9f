"""The corpus: small hand-made cases, each one the minimal form of a difference
the fuzzer once found between Node and dgram_uv.  ``scripts/fuzz --corpus``
runs them all; tests/test_fuzz.py asserts each behaves as on Node.  When a
fuzz run finds a new class of difference, add its minimal case here.
"""

from __future__ import annotations

from .generate import Case, Step
from .values import NULL, U, Value, arr, b, buf, fn, lookup, num, obj, s

_U4, _U6, _LO4 = s('udp4'), s('udp6'), s('127.0.0.1')
_SETTLE: Step = {'op': 'settle'}


def _create(var: str, *args: Value) -> Step:
    return {'op': 'create', 'var': var, 'args': list(args)}


def _call(target: str, method: str, *args: Value) -> Step:
    return {'op': 'call', 'target': target, 'method': method, 'args': list(args)}


def _case(*steps: Step) -> list[Step]:
    """``steps``, then settle, close every socket and settle (as generated cases end)."""
    sockets = [st['var'] for st in steps if st['op'] == 'create']
    return [*steps, {'op': 'settle', 'final': True},
            *({**_call(name, 'close'), 'final': True} for name in sockets),
            {'op': 'settle', 'final': True}]


def _udp4(*steps: Step) -> list[Step]:
    return _case(_create('s0', _U4), *steps)


def _udp6(*steps: Step) -> list[Step]:
    return _case(_create('s0', _U6), *steps)


def _options(*members: tuple[str, Value]) -> Value:
    return obj(*members)


_NEW_BLOCK_LIST: Step = {'op': 'new', 'var': 'b0', 'cls': 'BlockList'}

# (name, what it shows, steps)
ENTRIES: list[tuple[str, str, list[Step]]] = [
    # JS truthiness and ToNumber where Python's rules were applied
    ('bind-address-empty-object', 'an empty object is truthy: looked up, rejected',
     _udp4(_call('s0', 'bind', num(0), obj()))),
    ('bind-address-empty-array', 'an empty array is truthy: looked up, rejected',
     _udp4(_call('s0', 'bind', num(0), arr()))),
    ('bind-options-address-empty-array', "{port: 0, address: []}: [] is truthy",
     _udp4(_call('s0', 'bind', obj(('port', num(0)), ('address', arr()))))),
    ('send-address-empty-object', 'an object address makes the offset/length form',
     _udp4(_call('s0', 'send', s('hello'), num(12345), U, obj()))),
    ('send-port-nan', 'NaN is falsy: send(buf, port, address, callback) form',
     _udp6(_call('s0', 'send', buf('Buffer', b'abc'), num(100), num(0), num('NaN'), U,
                 fn('f1')))),
    ('send-offset-length-one-element-arrays', '[3] >>> 0 is 3: sends "de"',
     _case(_create('s0', _U4), _create('s1', _U4), _call('s0', 'bind', num(12345), _LO4),
           _SETTLE, _call('s1', 'send', s('abcdef'), arr(num(3)), arr(num(2)), num(12345),
                          _LO4, fn('f1')))),
    ('reuse-addr-nan', 'reuseAddr: NaN is false: the second bind fails',
     _case(_create('s0', _options(('type', _U4), ('reuseAddr', num('NaN')))),
           _create('s1', _options(('type', _U4), ('reuseAddr', num('NaN')))),
           _call('s0', 'bind', num(12345), _LO4), _call('s1', 'bind', num(12345), _LO4))),
    ('ipv6-only-empty-object-udp4', 'ipv6Only: {} is true: bind EINVAL on udp4',
     _case(_create('s0', _options(('type', _U4), ('ipv6Only', obj()))),
           _call('s0', 'bind', num(0), _LO4))),
    ('send-buffer-size-nan', 'sendBufferSize: NaN is falsy: not applied on listening',
     _case(_create('s0', _options(('type', _U4), ('sendBufferSize', num('NaN')))),
           _call('s0', 'bind', num(0), _LO4))),
    ('connect-callback-empty-string', "'' is falsy: no 'connect' listener added",
     _udp4(_call('s0', 'connect', num(12345), U, s('')))),
    ('add-membership-empty-object', "{} is truthy: String({}) reaches libuv (EINVAL)",
     _udp4(_call('s0', 'addMembership', obj()))),
    ('add-membership-array-to-string', "String(['224.0.0.114']) is '224.0.0.114'",
     _udp4(_call('s0', 'addMembership', arr(s('224.0.0.114'))))),
    ('bind-lookup-gets-object', 'bind(undefined, {}) hands {} to the lookup',
     _case(_create('s0', _options(('type', _U4),
                                  ('lookup', lookup('lk1', 'tick', '127.0.0.1', 4)))),
           _call('s0', 'bind', U, obj()))),
    # null is not undefined
    ('signal-null', 'signal: null is not an AbortSignal',
     _case(_create('s0', _options(('type', _U4), ('signal', NULL))))),
    ('eisconn-message-undefined', "the message formats an undefined address as 'undefined'",
     _udp4(_call('s0', 'connect', num(12345), _LO4), _call('s0', 'send', s('hi'), num(1),
                                                           fn('f1')))),
    # Python's own errors
    ('block-list-check-no-argument', 'a missing argument is undefined',
     [_NEW_BLOCK_LIST, _call('b0', 'check')]),
    ('block-list-add-address-no-argument', 'a missing argument is undefined',
     [_NEW_BLOCK_LIST, _call('b0', 'addAddress')]),
    ('block-list-add-range-one-argument', 'a missing argument is undefined',
     [_NEW_BLOCK_LIST, _call('b0', 'addRange', s('::1'))]),
    ('block-list-add-subnet-one-argument', 'a missing argument is undefined',
     [_NEW_BLOCK_LIST, _call('b0', 'addSubnet', s('10.0.0.0'))]),
    ('listener-count-no-argument', 'a missing argument is undefined',
     _udp4(_call('s0', 'listenerCount'))),
    ('listener-count-object', 'an object event name is a property key, not unhashable',
     _udp4(_call('s0', 'listenerCount', obj()))),
    ('address-extra-argument', 'JS ignores extra arguments',
     _udp4(_call('s0', 'address', U))),
    ('close-extra-argument', 'JS ignores extra arguments',
     _udp4(_call('s0', 'close', U, U))),
    # connected sends
    ('connected-send-port-0', 'a socket connected to port 0 sends without a destination',
     _udp4(_call('s0', 'connect', s('0'), _LO4), _SETTLE,
           _call('s0', 'send', s('hi'), fn('f1')))),
    # messages and properties built from ports
    ('port-float-in-message', "12345.0 is the JS number 12345",
     _udp4(_call('s0', 'bind', num(12345, f=True), s('10.0.0.1')))),
    ('port-infinity-in-message', "Infinity, not inf",
     _udp4(_call('s0', 'bind', obj(('port', num('Infinity')), ('address', s('10.0.0.1')))))),
    ('port-hex-string-in-message', "'0x1F90' > 0 in JS: the port is in the message",
     _udp4(_call('s0', 'bind', s('0x1F90'), s('10.0.0.1')))),
    ('port-nan-no-property', 'NaN > 0 is false: no port property',
     _udp4(_call('s0', 'bind', num('NaN'), s('10.0.0.1')))),
    ('port-true-in-message', "String(true) is 'true'",
     _case(_create('s0', _options(('type', _U4),
                                  ('lookup', lookup('lk1', 'sync', 'not-an-ip', 4)))),
           _call('s0', 'bind', b(True)))),
    # EventEmitter
    ('event-names-order', "eventNames(): strings before symbols",
     _udp4(_call('s0', 'send', s('x'), num(12345), _LO4), _call('s0', 'eventNames'))),
    # libuv's own checks, in libuv's order
    ('reuse-port-ipv6-only-udp4', "libuv rejects IPV6ONLY on an IPv4 bind",
     _case(_create('s0', _options(('type', _U4), ('reusePort', b(True)),
                                  ('ipv6Only', b(True)))),
           _call('s0', 'bind', num(0), _LO4))),
    ('ssm-source-127.1', "uv_ip4_addr rejects '127.1' (EINVAL), before any bind",
     _udp4(_call('s0', 'addSourceSpecificMembership', s('127.1'), s('232.1.1.1')),
           _call('s0', 'address'))),
    ('ssm-bad-group-does-not-bind', "a failed source-specific join leaves the socket unbound",
     _udp4(_call('s0', 'addSourceSpecificMembership', _LO4, s('not an ip')),
           _call('s0', 'setTTL', num(64)))),
    ('ssm-ipv6-source-ipv4-group', "'::1' is no IPv4 source: EINVAL, unbound",
     _udp4(_call('s0', 'dropSourceSpecificMembership', s('::1'), s('239.255.0.1')),
           _call('s0', 'setMulticastInterface', _LO4))),
    ('rebind-after-membership-reuse-port', 'bind after the implicit bind: EINVAL',
     _case(_create('s0', _options(('type', _U4), ('reusePort', b(True)))),
           _call('s0', 'addMembership', s('ff02::1')), _call('s0', 'bind', num(0), _LO4))),
    ('send-ipv6-address-udp4-connected', 'the address is parsed before the connected check',
     _udp4(_call('s0', 'connect', num(12345), _LO4),
           _call('s0', 'send', s('x'), num(1234), s('::1'), fn('f1')))),
    # what counts as bind's options object
    ('bind-array-options', 'an array first is the options object (port 0, any address)',
     _udp4(_call('s0', 'bind', arr(), s('10.0.0.1')))),
    ('bind-buffer-options', 'a Buffer first is the options object',
     _udp4(_call('s0', 'bind', buf('Buffer', b'x'), s('10.0.0.1')))),
    ('bind-array-options-name', "bind([], 'ipv6'): the second argument is not looked up",
     _udp6(_call('s0', 'bind', arr(), s('ipv6')))),
    # IPv6 zones
    ('bind-zone-lo', "'::1%lo': scope id from if_nametoindex",
     _udp6(_call('s0', 'bind', num(0), s('::1%lo')))),
    ('connect-zone-lo', "'::1%lo' as a destination",
     _udp6(_call('s0', 'connect', num(12345), s('::1%lo'), fn('f1')))),
    ('send-zone-lo', "'::1%lo' as a destination",
     _udp6(_call('s0', 'send', s('x'), num(12345), s('::1%lo'), fn('f1')))),
    ('ssm-interface-zone', "an IPv6 interface '::1%lo' for a source-specific join",
     _udp4(_call('s0', 'addSourceSpecificMembership', s('::1'), s('ff05::1'), s('::1%lo')))),
]


def corpus_cases() -> list[Case]:
    return [{'id': i, 'seed': 'corpus', 'name': name, 'steps': steps}
            for i, (name, _, steps) in enumerate(ENTRIES)]


def describe(name: str) -> str:
    return next(what for entry_name, what, _ in ENTRIES if entry_name == name)

