"""dgram_uv.errors against Node v23.5.0's own errors.

Node's error objects come from the oracle, either through a public API that
throws them or, for the constructors no public API reaches with the wanted
arguments, through ``--expose-internals`` and ``require('internal/errors')``.
Where Node's message ends with a "Received ..." clause describing a JS value,
the Python message describes the corresponding Python value instead; every
other character must be Node's.
"""

from __future__ import annotations

import errno
import json
from collections.abc import Callable
from typing import Any

import pytest

from dgram_uv import errors

Node = Callable[..., Any]

INTERNALS = '--expose-internals'

JS_COLLECT = '''
const out = [];
for (const f of THUNKS) {
  try { f(); out.push(null); }
  catch (e) {
    out.push({name: e.name, code: e.code, message: e.message,
              type: e instanceof TypeError, range: e instanceof RangeError,
              errno: e.errno, syscall: e.syscall, address: e.address, port: e.port,
              hostname: e.hostname, host: e.host, cause: e.cause,
              hasPort: 'port' in e});
  }
}
console.log(JSON.stringify(out));
'''


def node_errors(node: Node, thunks: list[str], *flags: str) -> list[dict[str, Any]]:
    """Node's errors thrown by each JS thunk body (an expression)."""
    setup = '''
      const { codes, ErrnoException, ExceptionWithHostPort, UVExceptionWithHostPort,
              DNSException } = require('internal/errors');
    ''' if INTERNALS in flags else ''
    script = setup + '''
      const dgram = require('dgram'), EventEmitter = require('events');
      const assert = require('assert'), dc = require('diagnostics_channel');
      const dns = require('dns'), util = require('util');
    ''' + JS_COLLECT.replace('THUNKS', '[' + ', '.join(f'() => {t}' for t in thunks) + ']')
    result = node(script, *flags)
    assert all(r is not None for r in result), f'a thunk did not throw: {result}'
    return list(result)


def check_family(err: BaseException, node_err: dict[str, Any]) -> None:
    """Node's TypeError codes are TypeErrors, RangeError codes ValueErrors, the rest not."""
    assert isinstance(err, TypeError) == node_err['type']
    assert isinstance(err, ValueError) == node_err['range']


def python_message(node_message: str, received: tuple[str, str] | None) -> str:
    """Node's message with its "Received ..." clause describing the Python value."""
    if received is None:
        return node_message
    node_clause, py_clause = received
    if f'Received {node_clause}' in node_message:
        return node_message.replace(f'Received {node_clause}', f'Received {py_clause}')
    assert f'got {node_clause}.' in node_message, node_message   # ERR_INVALID_RETURN_VALUE
    return node_message.replace(f'got {node_clause}.', f'got {py_clause}.')


def check_coded(err: errors.NodeError, node_err: dict[str, Any],
                received: tuple[str, str] | None = None) -> None:
    assert isinstance(err, errors.NodeError)
    assert err.code == node_err['code']
    assert err.name == node_err['name']
    check_family(err, node_err)
    assert str(err) == err.message == python_message(node_err['message'], received)


# --- coded errors without a described value --------------------------------------------

def buffer_size_ctx() -> dict[str, Any]:
    return {'errno': -9, 'code': 'EBADF', 'message': 'bad file descriptor',
            'syscall': 'uv_recv_buffer_size'}


FIXED: list[tuple[str, Callable[[], errors.NodeError]]] = [
    # (Node's constructor call, the Python one)
    ('new codes.ERR_SOCKET_ALREADY_BOUND()', errors.ERR_SOCKET_ALREADY_BOUND),
    ('new codes.ERR_SOCKET_BAD_BUFFER_SIZE()', errors.ERR_SOCKET_BAD_BUFFER_SIZE),
    ('new codes.ERR_SOCKET_BAD_TYPE()', errors.ERR_SOCKET_BAD_TYPE),
    ('new codes.ERR_SOCKET_DGRAM_IS_CONNECTED()', errors.ERR_SOCKET_DGRAM_IS_CONNECTED),
    ('new codes.ERR_SOCKET_DGRAM_NOT_CONNECTED()', errors.ERR_SOCKET_DGRAM_NOT_CONNECTED),
    ('new codes.ERR_SOCKET_DGRAM_NOT_RUNNING()', errors.ERR_SOCKET_DGRAM_NOT_RUNNING),
    ("new codes.ERR_INVALID_FD_TYPE('UNKNOWN')", lambda: errors.ERR_INVALID_FD_TYPE('UNKNOWN')),
    ("new codes.ERR_INVALID_THIS('BlockList')", lambda: errors.ERR_INVALID_THIS('BlockList')),
    ('new codes.ERR_ILLEGAL_CONSTRUCTOR()', errors.ERR_ILLEGAL_CONSTRUCTOR),
    ("new codes.ERR_UNKNOWN_SIGNAL('SIGFOO')", lambda: errors.ERR_UNKNOWN_SIGNAL('SIGFOO')),
    ("new codes.ERR_IP_BLOCKED('1.2.3.4')", lambda: errors.ERR_IP_BLOCKED('1.2.3.4')),
    ('new codes.ERR_UNHANDLED_ERROR()', errors.ERR_UNHANDLED_ERROR),
    ("new codes.ERR_UNHANDLED_ERROR('oops')", lambda: errors.ERR_UNHANDLED_ERROR('oops')),
    ('new codes.ERR_BUFFER_OUT_OF_BOUNDS()', errors.ERR_BUFFER_OUT_OF_BOUNDS),
    ("new codes.ERR_BUFFER_OUT_OF_BOUNDS('offset')",
     lambda: errors.ERR_BUFFER_OUT_OF_BOUNDS('offset')),
    ("new codes.ERR_EVENT_RECURSION('foo')", lambda: errors.ERR_EVENT_RECURSION('foo')),
    ("new codes.ERR_SOCKET_BUFFER_SIZE({errno: -9, code: 'EBADF', "
     "message: 'bad file descriptor', syscall: 'uv_recv_buffer_size'})",
     lambda: errors.ERR_SOCKET_BUFFER_SIZE(buffer_size_ctx())),
    ('new codes.ERR_SOCKET_BAD_PORT("Port", 0, false)',
     lambda: errors.ERR_SOCKET_BAD_PORT('Port', 0, False)),
]


def test_coded_errors_match_node(node: Node) -> None:
    node_errs = node_errors(node, [f'{{ throw {js}; }}' for js, _ in FIXED], INTERNALS)
    for (js, make), node_err in zip(FIXED, node_errs, strict=True):
        err = make()
        assert isinstance(err, errors.NodeError), js
        number = ('type number (0)', 'type int (0)') if 'BAD_PORT' in js else None
        check_coded(err, node_err, number)


def test_coded_errors_are_raised_and_caught_by_family() -> None:
    with pytest.raises(TypeError) as type_info:
        raise errors.ERR_SOCKET_BAD_TYPE()
    assert getattr(type_info.value, 'code') == 'ERR_SOCKET_BAD_TYPE'  # noqa: B009
    with pytest.raises(ValueError) as range_info:
        raise errors.ERR_SOCKET_BAD_PORT('Port', -1)
    assert getattr(range_info.value, 'code') == 'ERR_SOCKET_BAD_PORT'  # noqa: B009
    with pytest.raises(errors.NodeError) as plain_info:
        raise errors.ERR_SOCKET_DGRAM_NOT_RUNNING()
    assert not isinstance(plain_info.value, (TypeError, ValueError))
    # Each coded error is its own class, caught by its code's name.
    with pytest.raises(errors.ERR_SOCKET_ALREADY_BOUND):
        raise errors.ERR_SOCKET_ALREADY_BOUND()
    assert not issubclass(errors.ERR_SOCKET_ALREADY_BOUND, errors.ERR_SOCKET_DGRAM_NOT_RUNNING)
    assert issubclass(errors.NodeTypeError, TypeError)
    assert issubclass(errors.NodeRangeError, ValueError)


def test_socket_buffer_size_is_a_system_error_with_its_context() -> None:
    err = errors.ERR_SOCKET_BUFFER_SIZE(buffer_size_ctx())
    assert err.info == buffer_size_ctx()
    assert (err.errno, err.syscall) == (-9, 'uv_recv_buffer_size')


def test_unhandled_error_keeps_its_context() -> None:
    cause = ValueError('inner')
    err = errors.ERR_UNHANDLED_ERROR(cause)
    assert err.context is cause
    assert str(err) == 'Unhandled error. (inner)'


def test_abort_error_matches_node(node: Node) -> None:
    node_errs = node_errors(node, [
        '{ throw new (require("internal/errors").AbortError)(); }',
        '{ throw new (require("internal/errors").AbortError)("stop", {cause: "why"}); }',
    ], INTERNALS)
    plain = errors.AbortError()
    with_cause = errors.AbortError('stop', cause='why')
    for err, node_err in zip((plain, with_cause), node_errs, strict=True):
        assert (err.name, err.code, str(err)) == (node_err['name'], node_err['code'],
                                                  node_err['message'])
        check_family(err, node_err)
    assert plain.cause is None
    assert with_cause.cause == node_errs[1]['cause'] == 'why'
    chained = errors.AbortError(cause=KeyError('k'))
    assert isinstance(chained.__cause__, KeyError)


# --- ERR_INVALID_ARG_TYPE ------------------------------------------------------------------

def named(value: Any) -> Any:
    return value


INVALID_ARG_TYPE: list[tuple[str, tuple[Any, ...], tuple[str, str]]] = [
    # (a public JS call that throws it, the Python arguments Node's code passes,
    #  (Node's "Received" clause, the Python one))
    ('setTimeout(5)', ('callback', 'Function', 5), ('type number (5)', 'type int (5)')),
    ("dgram.createSocket({type: 'udp4', lookup: 5})", ('lookup', 'Function', 5),
     ('type number (5)', 'type int (5)')),
    ("dgram.createSocket({type: 'udp4', signal: 'abc'})",
     ('options.signal', 'AbortSignal', 'abc'), ("type string ('abc')", "type str ('abc')")),
    ("new EventEmitter().on('x', 1.5)", ('listener', 'Function', 1.5),
     ('type number (1.5)', 'type float (1.5)')),
    ("dgram.createSocket('udp4').send(true, 1234)",
     ('buffer', ['Buffer', 'TypedArray', 'DataView', 'string'], True),
     ('type boolean (true)', 'type bool (True)')),
    ('Buffer.from(5)',
     ('first argument', ['string', 'Buffer', 'ArrayBuffer', 'Array', 'Array-like Object'], 5),
     ('type number (5)', 'type int (5)')),
    ("assert.throws(() => { throw new Error('x'); }, 1.5)",
     ('error', ['Object', 'Error', 'Function', 'RegExp'], 1.5),
     ('type number (1.5)', 'type float (1.5)')),
    ('dc.tracingChannel(null)', ('nameOrChannels', ['string', 'object', 'TracingChannel'], None),
     ('null', 'None')),
    ("dgram.createSocket('udp4').setTTL({})", ('ttl', 'number', {}),
     ('an instance of Object', 'an instance of dict')),
    ("dgram.createSocket('udp4').setTTL([])", ('ttl', 'number', []),
     ('an instance of Array', 'an instance of list')),
    ("dgram.createSocket('udp4').setTTL(function named() {})", ('ttl', 'number', named),
     ('function named', 'function named')),
    ("dgram.createSocket('udp4').setTTL('" + 'x' * 40 + "')", ('ttl', 'number', 'x' * 40),
     ("type string ('" + 'x' * 25 + "...')", "type str ('" + 'x' * 25 + "...')")),
]


def test_invalid_arg_type_matches_node_public_triggers(node: Node) -> None:
    node_errs = node_errors(node, [js for js, _, _ in INVALID_ARG_TYPE])
    for (js, args, received), node_err in zip(INVALID_ARG_TYPE, node_errs, strict=True):
        assert node_err['code'] == 'ERR_INVALID_ARG_TYPE', js
        check_coded(errors.ERR_INVALID_ARG_TYPE(*args), node_err, received)


INVALID_ARG_TYPE_MORE: list[tuple[str, tuple[str, str | list[str]]]] = [
    # (Node's arguments as JS, the same in Python); the value is 5 each time.
    ("'x', ['Array-like Object', 'null']", ('x', ['Array-like Object', 'null'])),
    ("'x', ['string', 'null']", ('x', ['string', 'null'])),
    ("'x', ['number', 'bigint', 'boolean']", ('x', ['number', 'bigint', 'boolean'])),
    ("'x', ['object', 'Buffer']", ('x', ['object', 'Buffer'])),
    ("'x', ['Object']", ('x', ['Object'])),
    ("'x', 'a dictionary'", ('x', 'a dictionary')),
    ("'x', ['a dictionary', 'An Object']", ('x', ['a dictionary', 'An Object'])),
    ("'options.x.y', ['Function', 'symbol', 'URL', 'Buffer']",
     ('options.x.y', ['Function', 'symbol', 'URL', 'Buffer'])),
    ("'second argument', 'string'", ('second argument', 'string')),
]


def test_invalid_arg_type_expected_lists_match_node(node: Node) -> None:
    node_errs = node_errors(
        node, [f'{{ throw new codes.ERR_INVALID_ARG_TYPE({js}, 5); }}'
               for js, _ in INVALID_ARG_TYPE_MORE], INTERNALS)
    for (_, (name, expected)), node_err in zip(INVALID_ARG_TYPE_MORE, node_errs, strict=True):
        check_coded(errors.ERR_INVALID_ARG_TYPE(name, expected, 5), node_err,
                    ('type number (5)', 'type int (5)'))


def test_received_clause_describes_python_values() -> None:
    cases: list[tuple[Any, str]] = [
        (None, 'None'),
        (0, 'type int (0)'),
        (-7, 'type int (-7)'),
        (2.5, 'type float (2.5)'),
        (float('nan'), 'type float (nan)'),
        (False, 'type bool (False)'),
        ("it's", 'type str ("it\'s")'),
        (b'\x00', 'an instance of bytes'),
        ((1, 2), 'an instance of tuple'),
        (len, 'function len'),
        (dict, 'function dict'),
    ]
    for value, clause in cases:
        assert errors.determine_specific_type(value) == clause
        assert str(errors.ERR_INVALID_ARG_TYPE('v', 'string', value)).endswith(
            f'Received {clause}')


# --- ERR_INVALID_ARG_VALUE, ERR_MISSING_ARGS, ERR_OUT_OF_RANGE, ERR_SOCKET_BAD_PORT ----------

def test_invalid_arg_value_matches_node(node: Node) -> None:
    long = 'y' * 200
    node_errs = node_errors(node, [
        "{ throw new codes.ERR_INVALID_ARG_VALUE('type', 'udp5'); }",
        "{ throw new codes.ERR_INVALID_ARG_VALUE('options.type', 7, 'must be udp4'); }",
        f"{{ throw new codes.ERR_INVALID_ARG_VALUE('x', '{long}'); }}",
    ], INTERNALS)
    made = [
        errors.ERR_INVALID_ARG_VALUE('type', 'udp5'),
        errors.ERR_INVALID_ARG_VALUE('options.type', 7, 'must be udp4'),
        errors.ERR_INVALID_ARG_VALUE('x', long),
    ]
    for err, node_err in zip(made, node_errs, strict=True):
        # Node's util.inspect and Python's repr agree on these values.
        check_coded(err, node_err)


MISSING_ARGS: list[tuple[str, tuple[Any, ...]]] = [
    ("dgram.createSocket('udp4').addMembership()", ('multicastAddress',)),
    ('assert.strictEqual()', ('actual', 'expected')),
    ('dns.lookupService()', ('address', 'port', 'callback')),
]


def test_missing_args_matches_node(node: Node) -> None:
    node_errs = node_errors(node, [js for js, _ in MISSING_ARGS])
    node_errs += node_errors(node, [
        "{ throw new codes.ERR_MISSING_ARGS(['a', 'b'], 'c'); }",
        "{ throw new codes.ERR_MISSING_ARGS('a', ['b', 'c', 'd'], 'e', 'f'); }",
    ], INTERNALS)
    made = [errors.ERR_MISSING_ARGS(*names) for _, names in MISSING_ARGS] + [
        errors.ERR_MISSING_ARGS(['a', 'b'], 'c'),
        errors.ERR_MISSING_ARGS('a', ['b', 'c', 'd'], 'e', 'f'),
    ]
    for err, node_err in zip(made, node_errs, strict=True):
        check_coded(err, node_err)
    assert str(made[2]) == 'The "address", "port", and "callback" arguments must be specified'


OUT_OF_RANGE: list[tuple[str, tuple[Any, ...]]] = [
    ('Buffer.alloc(4).readUInt8(4294967296)', ('offset', '>= 0 and <= 3', 4294967296)),
    ('Buffer.alloc(4).readUInt8(4294967297)', ('offset', '>= 0 and <= 3', 4294967297)),
    ('Buffer.alloc(4).readUInt8(-4294967297)', ('offset', '>= 0 and <= 3', -4294967297)),
    ('Buffer.alloc(4).readUInt8(2 ** 53)', ('offset', '>= 0 and <= 3', 2 ** 53)),
    ('Buffer.alloc(4).readUInt8(1.5)', ('offset', 'an integer', 1.5)),
    ('Buffer.alloc(4).readUInt8(4)', ('offset', '>= 0 and <= 3', 4)),
    ('new EventEmitter().setMaxListeners(-1)', ('setMaxListeners', '>= 0', -1)),
]


def test_out_of_range_matches_node(node: Node) -> None:
    node_errs = node_errors(node, [js for js, _ in OUT_OF_RANGE])
    node_errs += node_errors(node, [
        "{ throw new codes.ERR_OUT_OF_RANGE('Whole message.', '> 1', -123456789012, true); }",
    ], INTERNALS)
    made = [errors.ERR_OUT_OF_RANGE(*args) for _, args in OUT_OF_RANGE]
    made.append(errors.ERR_OUT_OF_RANGE('Whole message.', '> 1', -123456789012, True))
    for err, node_err in zip(made, node_errs, strict=True):
        check_coded(err, node_err)
    # Numeric separators only beyond 2 ** 32, as Node prints them.
    assert str(made[0]).endswith('Received 4294967296')
    assert str(made[1]).endswith('Received 4_294_967_297')
    assert str(made[-1]).endswith('Received -123_456_789_012')


def test_out_of_range_received_is_the_python_repr() -> None:
    assert str(errors.ERR_OUT_OF_RANGE('n', '>= 0', 'x')).endswith("Received 'x'")
    assert str(errors.ERR_OUT_OF_RANGE('n', '>= 0', float('nan'))).endswith('Received nan')


def test_socket_bad_port_matches_node(node: Node) -> None:
    cases: list[tuple[str, Any, bool, tuple[str, str]]] = [
        ('70000', 70000, True, ('type number (70000)', 'type int (70000)')),
        ('-1', -1, False, ('type number (-1)', 'type int (-1)')),
        ('1.5', 1.5, True, ('type number (1.5)', 'type float (1.5)')),
        ("'abc'", 'abc', True, ("type string ('abc')", "type str ('abc')")),
        ('true', True, False, ('type boolean (true)', 'type bool (True)')),
        ('null', None, True, ('null', 'None')),
    ]
    node_errs = node_errors(node, [
        f"{{ throw new codes.ERR_SOCKET_BAD_PORT('options.port', {js}, {json.dumps(zero)}); }}"
        for js, _, zero, _ in cases], INTERNALS)
    for (_, value, zero, received), node_err in zip(cases, node_errs, strict=True):
        check_coded(errors.ERR_SOCKET_BAD_PORT('options.port', value, zero), node_err,
                    received)


# --- system errors ------------------------------------------------------------------------

HOST_PORT: list[tuple[str, tuple[Any, ...]]] = [
    # (the arguments of Node's util._exceptionWithHostPort, as JS; the same in Python)
    ("-98, 'bind', '0.0.0.0', 41234", (-98, 'bind', '0.0.0.0', 41234)),
    ("-90, 'send', '127.0.0.1', 1234", (-90, 'send', '127.0.0.1', 1234)),
    ("-13, 'bind', '0.0.0.0', 0", (-13, 'bind', '0.0.0.0', 0)),
    ("-111, 'connect', '::1', 9, 'fe80::1%lo:1234'", (-111, 'connect', '::1', 9,
                                                      'fe80::1%lo:1234')),
    ("-22, 'send', undefined, undefined", (-22, 'send', None, None)),
    ("-61, 'recvmsg', '10.0.0.1', 5", (-61, 'recvmsg', '10.0.0.1', 5)),
    ("-37, 'send', '10.0.0.1', 5", (-37, 'send', '10.0.0.1', 5)),
]


def test_exception_with_host_port_matches_node(node: Node) -> None:
    node_errs = node_errors(node, [f'{{ throw util._exceptionWithHostPort({js}); }}'
                                   for js, _ in HOST_PORT])
    for (_, args), node_err in zip(HOST_PORT, node_errs, strict=True):
        err = errors.ExceptionWithHostPort(*args)
        assert isinstance(err, OSError)
        assert not isinstance(err, errors.NodeError)
        assert str(err) == err.message == node_err['message']
        assert err.code == node_err['code']
        assert err.errno == -node_err['errno'] > 0
        assert err.syscall == node_err['syscall']
        assert err.address == node_err.get('address')
        assert (err.port is not None) == node_err['hasPort']
        if node_err['hasPort']:
            assert err.port == node_err['port']
    first = errors.ExceptionWithHostPort(-98, 'bind', '0.0.0.0', 41234)
    assert str(first) == 'bind EADDRINUSE 0.0.0.0:41234'
    assert first.errno == errno.EADDRINUSE
    assert (first.code, first.syscall, first.address, first.port) == (
        'EADDRINUSE', 'bind', '0.0.0.0', 41234)
    assert str(errors.ExceptionWithHostPort(-90, 'send', '127.0.0.1', 1234)) == (
        'send EMSGSIZE 127.0.0.1:1234')
    with pytest.raises(OSError) as info:
        raise first
    assert info.value.errno == errno.EADDRINUSE


ERRNO: list[tuple[str, tuple[Any, ...]]] = [
    ("-9, 'close'", (-9, 'close')),
    ("-9, 'close', 'extra words'", (-9, 'close', 'extra words')),
    ("-11, 'recvmsg'", (-11, 'recvmsg')),
    ("-37, 'send'", (-37, 'send')),
]


def test_errno_exception_matches_node(node: Node) -> None:
    node_errs = node_errors(node, [f'{{ throw util._errnoException({js}); }}'
                                   for js, _ in ERRNO])
    for (_, args), node_err in zip(ERRNO, node_errs, strict=True):
        err = errors.ErrnoException(*args)
        assert isinstance(err, OSError)
        assert str(err) == node_err['message']
        assert (err.code, err.syscall) == (node_err['code'], node_err['syscall'])
        assert err.errno == -node_err['errno']
    assert str(errors.ErrnoException(-9, 'close')) == 'close EBADF'



def test_dns_exception_matches_node(node: Node) -> None:
    cases: list[tuple[str, tuple[Any, ...]]] = [
        ("-3008, 'getaddrinfo', 'no.such.host'", (-3008, 'getaddrinfo', 'no.such.host')),
        ("-3007, 'getaddrinfo', 'no.data.host'", (-3007, 'getaddrinfo', 'no.data.host')),
        ("-3001, 'getaddrinfo', 'slow.host'", (-3001, 'getaddrinfo', 'slow.host')),
        ("-3008, 'getaddrinfo'", (-3008, 'getaddrinfo')),
        ("'ECONNREFUSED', 'queryA', 'x.example'", ('ECONNREFUSED', 'queryA', 'x.example')),
    ]
    node_errs = node_errors(node, [f'{{ throw new DNSException({js}); }}'
                                   for js, _ in cases], INTERNALS)
    for (_, args), node_err in zip(cases, node_errs, strict=True):
        err = errors.DNSException(*args)
        assert isinstance(err, OSError)
        assert str(err) == node_err['message']
        assert err.code == node_err['code']
        assert err.syscall == node_err['syscall']
        assert err.hostname == node_err.get('hostname')
        if node_err.get('errno') is None:
            assert err.errno is None
        else:
            assert err.errno == -node_err['errno'] > 0
    assert errors.DNSException(-3008, 'getaddrinfo', 'no.such.host').code == 'ENOTFOUND'
    assert str(errors.DNSException(-3007, 'getaddrinfo', 'h')) == 'getaddrinfo ENOTFOUND h'


def test_uv_error_names_and_messages_match_node(node: Node) -> None:
    table = node('''
        const m = require('util').getSystemErrorMap();
        const out = [...m.entries()].map(([k, v]) => [k, v[0], v[1]]);
        for (const k of [-37, -8, -99999])
          out.push([k, require('util').getSystemErrorName(k), null]);
        console.log(JSON.stringify(out));''')
    assert len(table) > 80
    for status, name, message in table:
        assert errors.uv_err_name(status) == name, status
        if message is not None:
            assert errors.uv_strerror(status) == message, status
    assert errors.uv_err_name(-98) == 'EADDRINUSE'
    assert errors.uv_strerror(-98) == 'address already in use'
    assert errors.uv_err_name(-37) == 'Unknown system error -37'
