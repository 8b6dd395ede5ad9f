"""dgram_uv._internal.jsvalues, the one helper per JS value rule, against the
operators of Node v23.5.0 on each value's JS twin: ``!!v`` (truthy), ``+v``
(to_number), ``v >>> 0`` (to_uint32), ``String(v)`` (to_string), and
``typeof v === 'object' && v !== null`` (is_object)."""

from __future__ import annotations

import json
import math
import random
from collections.abc import Callable
from typing import Any

from dgram_uv._internal import jsvalues
from dgram_uv._internal.jsvalues import UNDEFINED

Node = Callable[..., Any]


def _f() -> None:
    pass


# (JS expression, its Python twin) as dgram_uv maps JS values to Python ones.
TWINS: list[tuple[str, Any]] = [
    ('0', 0), ('-0', -0.0), ('1', 1), ('1.5', 1.5), ('NaN', math.nan), ('Infinity', math.inf),
    ('-Infinity', -math.inf), ('2 ** 31', 2 ** 31), ('2 ** 32 + 1', 2 ** 32 + 1),
    ('2 ** 53 + 2', 2 ** 53 + 2), ('1e21', 1e21), ('1e-7', 1e-7), ('123e-20', 123e-20),
    ('-5.5', -5.5), ('12345', 12345.0), ('0.1 + 0.2', 0.1 + 0.2),
    ('-(2 ** 32) - 3', -(2 ** 32) - 3),
    ("''", ''), ("' 12 '", ' 12 '), ("'0x1F90'", '0x1F90'), ("'0b11'", '0b11'), ("'0o7'", '0o7'),
    ("'1e3'", '1e3'), ("'-1'", '-1'), ("'abc'", 'abc'), ("'Infinity'", 'Infinity'),
    ("'\\u2028 7'", '\u2028 7'), ("'12px'", '12px'), ("'-0'", '-0'), ("'0'", '0'),
    ('true', True), ('false', False), ('undefined', None), ('undefined', UNDEFINED),
    ('[]', []), ('[3]', [3]), ("[' 12 ']", [' 12 ']), ('[1, 2]', (1, 2)), ('[[3]]', [[3]]),
    ('[null]', [None]), ('[true]', [True]),
    ("['a', [1, [2.5, undefined]]]", ['a', [1, [2.5, None]]]),
    ('[1.0, -0, NaN]', [1.0, -0.0, math.nan]), ('{}', {}), ('{ a: 1 }', {'a': 1}),
    ("Buffer.from('5')", b'5'), ("Buffer.from('12,3')", b'12,3'), ('Buffer.alloc(0)', b''),
    ("new Uint8Array(Buffer.from('5'))", bytearray(b'5')),
    ("new DataView(new Uint8Array(Buffer.from('dv')).buffer)", memoryview(bytearray(b'dv'))),
    ("new Uint16Array(new Uint8Array(Buffer.from('abcd')).buffer)", memoryview(b'abcd').cast('H')),
    ("Buffer.from('x12').subarray(1)", memoryview(b'x12')[1:]),
    ('function f() {}', _f),
]


def _js_number(value: float) -> str:
    return '-0' if value == 0 and math.copysign(1, value) < 0 else jsvalues.number_to_string(value)


def test_rules_match_node(node: Node) -> None:
    expressions = ', '.join(expr for expr, _ in TWINS)
    results = node(f'''
        const show = (n) => Object.is(n, -0) ? '-0' : String(n);
        const out = [{expressions}].map((v) => [!!v, show(+v), v >>> 0,
            typeof v === 'function' ? null : String(v), typeof v === 'object' && v !== null]);
        console.log(JSON.stringify(out));''')
    for (expr, value), (truth, number, uint32, text, is_object) in zip(TWINS, results,
                                                                       strict=True):
        assert jsvalues.truthy(value) is truth, expr
        assert _js_number(jsvalues.to_number(value)) == number, expr
        assert jsvalues.to_uint32(value) == uint32, expr
        if text is not None:
            assert jsvalues.to_string(value) == text, expr
        assert jsvalues.is_object(value) is is_object, expr


def test_number_to_string_matches_node(node: Node) -> None:
    rng = random.Random(13)
    numbers = [rng.uniform(-1, 1) * 10 ** rng.randint(-30, 30) for _ in range(300)]
    numbers += [2.0 ** e for e in range(-1074, 1024, 37)] + [5e-324, 1.7976931348623157e308,
                                                            1e21, 1e20, 123456789012345680000.0]
    numbers += [float(n) for n in range(-50, 50)] + [0.5 ** e for e in range(30)]
    expected = node('console.log(JSON.stringify(JSON.parse(process.argv[1]).map(String)))',
                    argv=(json.dumps(numbers),))
    assert [jsvalues.number_to_string(n) for n in numbers] == expected


def test_get_reads_properties() -> None:
    assert jsvalues.get({'port': 5}, 'port') == 5
    assert jsvalues.get({}, 'port') is UNDEFINED
    assert jsvalues.get([], 'port', None) is None
    assert jsvalues.get(b'', 'fd') is UNDEFINED
    assert repr(UNDEFINED) == 'undefined' and not UNDEFINED
