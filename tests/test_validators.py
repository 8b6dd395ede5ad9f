"""dgram_uv.validators against Node v23.5.0's validators, value by value.

JS values map to Python ones as the README says (number = int or float, never
bool; string = str; null/undefined = None; Array = list; object = dict).  Each
table row pairs a JS expression with its Python twin; Node runs the JS through
a public API (or ``require('internal/validators')`` with ``--expose-internals``)
and both sides must accept and reject alike, with Node's codes and messages.
"""

from __future__ import annotations

import json
import math
import types
from collections.abc import Callable
from typing import Any

import pytest

from dgram_uv import errors
from dgram_uv._internal import validators
from dgram_uv._internal.jsvalues import UNDEFINED

Node = Callable[..., Any]

# (JS expression, Python value)
PORTS: list[tuple[str, Any]] = [
    ('0', 0),
    ('1', 1),
    ('1234', 1234),
    ('65535', 65535),
    ('65536', 65536),
    ('-1', -1),
    ('1.5', 1.5),
    ('1234.0', 1234.0),
    ('-0', -0.0),
    ('NaN', math.nan),
    ('Infinity', math.inf),
    ('-Infinity', -math.inf),
    ('2 ** 32 + 1234', 2 ** 32 + 1234),
    ('1e21', 1e21),
    ("'1234'", '1234'),
    ("'0'", '0'),
    ("'-0'", '-0'),
    ("''", ''),
    ("' '", ' '),
    ("'\\t\\n'", '\t\n'),
    ("' 1234 '", ' 1234 '),
    ("'0x10'", '0x10'),
    ("'0XfF'", '0XfF'),
    ("'0o17'", '0o17'),
    ("'0b11'", '0b11'),
    ("'0x'", '0x'),
    ("'-0x10'", '-0x10'),
    ("'1e3'", '1e3'),
    ("'1.5'", '1.5'),
    ("'1.0'", '1.0'),
    ("'.5e1'", '.5e1'),
    ("'5.'", '5.'),
    ("'+12'", '+12'),
    ("'00012'", '00012'),
    ("'12abc'", '12abc'),
    ("'-1'", '-1'),
    ("'65536'", '65536'),
    ("'Infinity'", 'Infinity'),
    ("'inf'", 'inf'),
    ("'1_000'", '1_000'),
    ("'\\u00a012'", '\u00a012'),
    ("'\\ufeff12'", '\ufeff12'),
    ("'12\\u3000'", '12\u3000'),
    ("'\\u001c12'", '\x1c12'),
    ("'\\u008512'", '\x8512'),
    ("'\\u0661\\u0662'", '\u0661\u0662'),
    ("'\\uff11\\uff12'", '\uff11\uff12'),
    ('true', True),
    ('false', False),
    ('null', None),
    ('[]', []),
    ('[1234]', [1234]),
    ('{}', {}),
]


def node_ports(node: Node) -> list[dict[str, Any]]:
    """For each port: Node's verdict with allowZero (net.SocketAddress, which
    returns the port) and without it (dgram connect)."""
    values = ', '.join(js for js, _ in PORTS)
    verdicts: list[dict[str, Any]] = node(f'''
        const net = require('net'), dgram = require('dgram');
        const out = [];
        for (const p of [{values}]) {{
          const row = {{}};
          try {{ row.port = new net.SocketAddress({{port: p}}).port; }}
          catch (e) {{ row.zero = [e.code, e.name, e.message]; }}
          const s = dgram.createSocket('udp4');
          try {{ s.connect(p, '127.0.0.1'); }}
          catch (e) {{ row.nonzero = [e.code, e.name, e.message]; }}
          s.close();
          out.push(row);
        }}
        console.log(JSON.stringify(out));''')
    return verdicts


def test_validate_port_matches_node(node: Node) -> None:
    verdicts = node_ports(node)
    for (js, value), verdict in zip(PORTS, verdicts, strict=True):
        # allowZero = true, named like net.SocketAddress's option.
        if 'port' in verdict:
            assert validators.validate_port(value, 'options.port') == verdict['port'], js
        else:
            code, name, message = verdict['zero']
            assert (code, name) == ('ERR_SOCKET_BAD_PORT', 'RangeError'), js
            with pytest.raises(errors.ERR_SOCKET_BAD_PORT) as info:
                validators.validate_port(value, 'options.port')
            assert isinstance(info.value, ValueError)
            head = message.split('Received ')[0]
            assert str(info.value).startswith(head), js
            assert str(info.value) == head + (
                f'Received {errors.determine_specific_type(value)}.')
        # allowZero = false, as dgram's connect() and send() call it.
        if 'nonzero' in verdict:
            assert verdict['nonzero'][0] == 'ERR_SOCKET_BAD_PORT', js
            with pytest.raises(errors.ERR_SOCKET_BAD_PORT) as info:
                validators.validate_port(value, 'Port', False)
            assert str(info.value).startswith(verdict['nonzero'][2].split('Received ')[0])
        else:
            validators.validate_port(value, 'Port', False)


def test_validate_port_examples() -> None:
    assert validators.validate_port('1234') == 1234
    assert validators.validate_port(' 0x10 ') == 16
    assert validators.validate_port('0', 'Port', False) == 0   # only the number 0 is refused
    assert type(validators.validate_port(80.0)) is int
    for bad in (True, False, 1.5, -1, 65536, '', ' ', None, 10 ** 400, -(10 ** 400),
                '0x' + 'f' * 300):
        with pytest.raises(errors.ERR_SOCKET_BAD_PORT):
            validators.validate_port(bad)
    with pytest.raises(errors.ERR_SOCKET_BAD_PORT) as info:
        validators.validate_port(0, 'Port', False)
    assert str(info.value) == 'Port should be > 0 and < 65536. Received type int (0).'
    with pytest.raises(errors.ERR_SOCKET_BAD_PORT) as info:
        validators.validate_port(True)
    assert str(info.value) == 'Port should be >= 0 and < 65536. Received type bool (True).'


def js_number_text(value: float) -> str:
    """How JS's String() shows a number, for the values in the table below."""
    if math.isnan(value):
        return 'NaN'
    if math.isinf(value):
        return 'Infinity' if value > 0 else '-Infinity'
    if value == 0 and math.copysign(1, value) < 0:
        return '-0'
    if value.is_integer() and abs(value) < 1e21:
        return str(int(value))
    return repr(value)


def test_to_number_matches_js_unary_plus(node: Node) -> None:
    strings = [value for _, value in PORTS if isinstance(value, str)] + [
        'nan', '-Infinity', '+Infinity', 'infinity', '1e400', '-1e400', '0x' + 'f' * 300,
        '1.5e', 'e5', '0b2', '0o8', '+0x1', '\u2028 7 \u2029', '0.1',
    ]
    node_values = node('console.log(JSON.stringify(JSON.parse(process.argv[1]).map((s) => '
                       "{ const n = +s; return Object.is(n, -0) ? '-0' : String(n); })))",
                       argv=(json.dumps(strings),))
    for text, expected in zip(strings, node_values, strict=True):
        assert js_number_text(validators.to_number(text)) == expected, repr(text)


def test_to_number_of_numbers() -> None:
    assert validators.to_number(3) == 3.0
    assert validators.to_number(10 ** 400) == math.inf
    assert validators.to_number(-(10 ** 400)) == -math.inf
    # JS ToNumber: +true is 1, +undefined NaN, +[1] 1 (through its string '1').
    assert validators.to_number(True) == 1.0
    assert math.isnan(validators.to_number(None))
    assert validators.to_number([1]) == 1.0


def signal_like() -> Any:
    return types.SimpleNamespace(aborted=False)


VALIDATIONS: list[tuple[str, str, Callable[[], Any], tuple[str, str] | None]] = [
    # (Node validator, its JS arguments, the Python call, the "Received" clauses
    #  (Node's, Python's) where they differ)
    ('validateInteger', "5, 'n'", lambda: validators.validate_integer(5, 'n'), None),
    ('validateInteger', "5.5, 'n'", lambda: validators.validate_integer(5.5, 'n'), None),
    ('validateInteger', "'5', 'n'", lambda: validators.validate_integer('5', 'n'),
     ("type string ('5')", "type str ('5')")),
    ('validateInteger', "true, 'n'", lambda: validators.validate_integer(True, 'n'),
     ('type boolean (true)', 'type bool (True)')),
    ('validateInteger', "2 ** 53, 'n'", lambda: validators.validate_integer(2 ** 53, 'n'), None),
    ('validateInteger', "-5, 'n', 0, 10", lambda: validators.validate_integer(-5, 'n', 0, 10),
     None),
    ('validateInteger', "NaN, 'n'", lambda: validators.validate_integer(math.nan, 'n'),
     ('NaN', 'nan')),
    ('validateInt32', "2 ** 31, 'n'", lambda: validators.validate_int32(2 ** 31, 'n'), None),
    ('validateInt32', "-(2 ** 31), 'n'", lambda: validators.validate_int32(-(2 ** 31), 'n'),
     None),
    ('validateUint32', "-1, 'n'", lambda: validators.validate_uint32(-1, 'n'), None),
    ('validateUint32', "0, 'n', true", lambda: validators.validate_uint32(0, 'n', True), None),
    ('validateUint32', "4294967296, 'n'", lambda: validators.validate_uint32(2 ** 32, 'n'),
     None),
    ('validateUint32', "4294967295, 'n'", lambda: validators.validate_uint32(2 ** 32 - 1, 'n'),
     None),
    ('validateNumber', "'1', 'n'", lambda: validators.validate_number('1', 'n'),
     ("type string ('1')", "type str ('1')")),
    ('validateNumber', "5, 'n', 10", lambda: validators.validate_number(5, 'n', 10), None),
    ('validateNumber', "5, 'n', undefined, 1",
     lambda: validators.validate_number(5, 'n', None, 1), None),
    ('validateNumber', "NaN, 'n', 0, 1", lambda: validators.validate_number(math.nan, 'n', 0, 1),
     ('NaN', 'nan')),
    ('validateNumber', "NaN, 'n'", lambda: validators.validate_number(math.nan, 'n'), None),
    ('validateString', "5, 's'", lambda: validators.validate_string(5, 's'),
     ('type number (5)', 'type int (5)')),
    ('validateString', "'', 's'", lambda: validators.validate_string('', 's'), None),
    ('validateFunction', "5, 'f'", lambda: validators.validate_function(5, 'f'),
     ('type number (5)', 'type int (5)')),
    ('validateFunction', "() => {}, 'f'", lambda: validators.validate_function(print, 'f'),
     None),
    ('validateObject', "null, 'o'", lambda: validators.validate_object(None, 'o'),
     ('null', 'None')),
    ('validateObject', "[], 'o'", lambda: validators.validate_object([], 'o'),
     ('an instance of Array', 'an instance of list')),
    ('validateObject', "'x', 'o'", lambda: validators.validate_object('x', 'o'),
     ("type string ('x')", "type str ('x')")),
    ('validateObject', "{}, 'o'", lambda: validators.validate_object({}, 'o'), None),
    ('validateOneOf', "'udp5', 'type', ['udp4', 'udp6']",
     lambda: validators.validate_one_of('udp5', 'type', ['udp4', 'udp6']), None),
    ('validateOneOf', "3, 'n', [1, 2]", lambda: validators.validate_one_of(3, 'n', [1, 2]), None),
    ('validateOneOf', "'udp6', 'type', ['udp4', 'udp6']",
     lambda: validators.validate_one_of('udp6', 'type', ['udp4', 'udp6']), None),
    ('validateAbortSignal', "'x', 'options.signal'",
     lambda: validators.validate_abort_signal('x', 'options.signal'),
     ("type string ('x')", "type str ('x')")),
    ('validateAbortSignal', "{}, 'options.signal'",
     lambda: validators.validate_abort_signal({}, 'options.signal'),
     ('an instance of Object', 'an instance of dict')),
    ('validateAbortSignal', "{aborted: false}, 'options.signal'",
     lambda: validators.validate_abort_signal(signal_like(), 'options.signal'), None),
    ('validateAbortSignal', "undefined, 'options.signal'",
     lambda: validators.validate_abort_signal(UNDEFINED, 'options.signal'), None),
    ('validateAbortSignal', "null, 'options.signal'",
     lambda: validators.validate_abort_signal(None, 'options.signal'), ('null', 'None')),
]


def test_validators_match_node(node: Node) -> None:
    calls = ', '.join(f'() => v.{name}({args})' for name, args, _, _ in VALIDATIONS)
    verdicts = node(f'''
        const v = require('internal/validators');
        const out = [];
        for (const f of [{calls}]) {{
          try {{ f(); out.push(null); }}
          catch (e) {{ out.push([e.code, e.name, e.message]); }}
        }}
        console.log(JSON.stringify(out));''', '--expose-internals')
    for (name, args, call, received), verdict in zip(VALIDATIONS, verdicts, strict=True):
        where = f'{name}({args})'
        if verdict is None:
            call()
            continue
        code, err_name, message = verdict
        with pytest.raises(errors.NodeError) as info:
            call()
        err = info.value
        assert (err.code, err.name) == (code, err_name), where
        assert isinstance(err, TypeError) == (err_name == 'TypeError'), where
        assert isinstance(err, ValueError) == (err_name == 'RangeError'), where
        if received is not None:
            assert f'Received {received[0]}' in message, where
            message = message.replace(f'Received {received[0]}', f'Received {received[1]}')
        assert str(err) == message, where


def test_validators_return_the_value() -> None:
    assert validators.validate_integer(7.0, 'n') == 7
    assert validators.validate_number(2.5, 'n') == 2.5
    assert validators.validate_string('s', 's') == 's'
    assert validators.validate_function(print, 'f') is print
    assert validators.validate_object({'a': 1}, 'o') == {'a': 1}


def test_js_type_predicates() -> None:
    assert validators.is_number(1) and validators.is_number(1.5)
    assert not validators.is_number(True) and not validators.is_number('1')
    assert validators.is_integer(3.0) and not validators.is_integer(3.5)
    assert not validators.is_integer(True) and not validators.is_integer(math.inf)
