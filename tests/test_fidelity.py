"""JavaScript's value rules where dgram_uv once applied Python's, against Node
v23.5.0: each scenario is a JS/Python twin (tests/fidelity_twins.py) whose
records must be equal.

Here: truthiness and ToNumber/ToString (class 1 of the fidelity issue), null
vs undefined (2), ports in error messages (6), any object as ``bind``'s
options (9).  tests/test_fidelity_calls.py has the others; the conversion
helpers themselves are compared with Node's operators in tests/test_jsvalues.py.

Addresses: loopback, or none at all (a udp6 socket binding an IPv4 address
fails in uv_ip6_addr); multicast groups only in calls that fail before any
join.
"""

from __future__ import annotations

from typing import Any

from fidelity_twins import Env, Twin, comparison_tests, registrar

import dgram_uv as dgram

TWINS: list[Twin] = []
twin = registrar(TWINS)


# --- 1. truthiness and coercion ---------------------------------------------------

@twin('bind-address-empty-object', "const s = env.mk('udp4'); env.t('bind', () => s.bind(0, {}));")
def _bind_object_address(env: Env) -> None:
    s = env.mk('udp4')
    env.t('bind', lambda: s.bind(0, {}))


@twin('bind-address-empty-list', "const s = env.mk('udp4'); env.t('bind', () => s.bind(0, []));")
def _bind_list_address(env: Env) -> None:
    s = env.mk('udp4')
    env.t('bind', lambda: s.bind(0, []))


@twin('bind-options-list-address', """
const s = env.mk('udp4'); env.t('bind', () => s.bind({ port: 0, address: [] }));""")
def _bind_options_list_address(env: Env) -> None:
    s = env.mk('udp4')
    env.t('bind', lambda: s.bind({'port': 0, 'address': []}))


@twin('bind-address-nan', """
const s = env.mk('udp4');
env.t('bind', () => s.bind(0, NaN, () => env.note('address', s.address().address)));""")
def _bind_nan_address(env: Env) -> None:
    s = env.mk('udp4')
    env.t('bind', lambda: s.bind(0, float('nan'), lambda: env.note('address', s.address().address)))


IPV6_ONLY = [('nan', 'NaN', float('nan')), ('empty-list', '[]', []), ('empty-object', '{}', {}),
             ('empty-string', "''", ''), ('zero', '-0', -0.0), ('string', "'x'", 'x')]
for _label, _js, _value in IPV6_ONLY:
    # IPv6-only on a udp4 socket is libuv's EINVAL: it shows whether the flag was set.
    @twin(f'ipv6only-{_label}-on-udp4', f"""
const s = env.mk({{ type: 'udp4', ipv6Only: {_js} }}); env.t('bind', () => s.bind(0));""")
    def _ipv6_only(env: Env, value: Any = _value) -> None:
        s = env.mk({'type': 'udp4', 'ipv6Only': value})
        env.t('bind', lambda: s.bind(0))


@twin('recv-buffer-size-nan', """
const s = env.mk({ type: 'udp4', recvBufferSize: NaN, sendBufferSize: '' });
s.bind(0, '127.0.0.1');""")
def _buffer_size_nan(env: Env) -> None:
    s = env.mk({'type': 'udp4', 'recvBufferSize': float('nan'), 'sendBufferSize': ''})
    s.bind(0, '127.0.0.1')


@twin('recv-buffer-size-empty-list', """
env.t('create', () => env.mk({ type: 'udp4', recvBufferSize: [] }));""")
def _buffer_size_list(env: Env) -> None:
    env.t('create', lambda: env.mk({'type': 'udp4', 'recvBufferSize': []}))


@twin('send-offset-length-one-element-lists', """
const s = env.mk('udp4');
s.bind(0, '127.0.0.1', () => {
  env.t('send', () => s.send(Buffer.from('hello world'), [3], [2], s.address().port, '127.0.0.1',
                            env.fn('sent')));
});
s.on('message', (msg) => env.note('message', msg));""")
def _send_list_offsets(env: Env) -> None:
    s = env.mk('udp4')
    s.bind(0, '127.0.0.1', lambda: env.t('send', lambda: s.send(
        b'hello world', [3], [2], s.address().port, '127.0.0.1', env.fn('sent'))))
    s.on('message', lambda msg, rinfo: env.note('message', msg))


@twin('send-object-address-means-long-form', """
const s = env.mk('udp6');
env.t('send', () => s.send(Buffer.alloc(0), undefined, 5, undefined, {}));""")
def _send_object_address(env: Env) -> None:
    s = env.mk('udp6')
    env.t('send', lambda: s.send(b'', None, 5, None, {}))


@twin('send-empty-array-long-form', """
const s = env.mk('udp6'); env.t('send', () => s.send([], 12346, undefined, {}));""")
def _send_array_long_form(env: Env) -> None:
    s = env.mk('udp6')
    env.t('send', lambda: s.send((), 12346, None, {}))


@twin('send-list-offset', """
const s = env.mk('udp6'); env.t('send', () => s.send('', [1], 1, 'x', [{}, 'localhost']));""")
def _send_list_offset(env: Env) -> None:
    s = env.mk('udp6')
    env.t('send', lambda: s.send('', [1], 1, 'x', [{}, 'localhost']))


@twin('membership-empty-list', """
const s = env.mk('udp4');
env.t('addMembership', () => s.addMembership([]));
env.t('dropMembership', () => s.dropMembership([], '127.0.0.1'));""")
def _membership_list(env: Env) -> None:
    s = env.mk('udp4')
    env.t('addMembership', lambda: s.add_membership([]))
    env.t('dropMembership', lambda: s.drop_membership([], '127.0.0.1'))


@twin('membership-list-as-string', """
const s = env.mk('udp4');
env.t('dropMembership', () => s.dropMembership(['224.0.0.114'], ['127.0.0.1']));""")
def _membership_list_string(env: Env) -> None:
    # JS reads ['224.0.0.114'] as the string '224.0.0.114': libuv then tries to
    # leave a group never joined (EADDRNOTAVAIL), which sends nothing.
    s = env.mk('udp4')
    env.t('dropMembership', lambda: s.drop_membership(['224.0.0.114'], ['127.0.0.1']))


@twin('connect-falsy-callback', """
const s = env.mk('udp4');
env.t('connect', () => s.connect(9, '127.0.0.1', 0));""")
def _connect_falsy_callback(env: Env) -> None:
    s = env.mk('udp4')
    env.t('connect', lambda: s.connect(9, '127.0.0.1', 0))


@twin('timer-delays-by-to-number', """
setTimeout(env.fn('thirty'), [30]);
setTimeout(env.fn('ten'), ' 10 ');
setTimeout(env.fn('one'), true);""")
def _timer_delays(env: Env) -> None:
    dgram.set_timeout(env.fn('thirty'), [30])
    dgram.set_timeout(env.fn('ten'), ' 10 ')
    dgram.set_timeout(env.fn('one'), True)


# --- 2. null vs undefined ---------------------------------------------------------

SIGNAL_NULL = "env.t('create', () => env.mk({ type: 'udp4', signal: null }));"


@twin('signal-null', SIGNAL_NULL)
def _signal_null(env: Env) -> None:
    env.t('create', lambda: env.mk({'type': 'udp4', 'signal': None}))


@twin('signal-null-keyword', SIGNAL_NULL)
def _signal_null_keyword(env: Env) -> None:
    env.t('create', lambda: env.mk(type='udp4', signal=None))


@twin('send-eisconn-undefined-address', """
const r = env.mk('udp4');
r.bind(0, '127.0.0.1', () => {
  const s = env.mk('udp4');
  s.connect(r.address().port, '127.0.0.1');
  s.send('x', 1, env.fn('sent'));
});""")
def _send_eisconn(env: Env) -> None:
    r = env.mk('udp4')

    def listening() -> None:
        s = env.mk('udp4')
        s.connect(r.address().port, '127.0.0.1')
        s.send('x', 1, env.fn('sent'))
    r.bind(0, '127.0.0.1', listening)


@twin('event-target-signal-null', """
const c = new AbortController();
env.t('addEventListener', () => c.signal.addEventListener('abort', () => {}, { signal: null }));""")
def _event_target_signal_null(env: Env) -> None:
    c = dgram.AbortController()
    env.t('addEventListener', lambda: c.signal.add_event_listener(
        'abort', lambda e: None, {'signal': None}))


# --- 6. ports in messages ------------------------------------------------------------------

PORTS = [('float', '12345', 12345.0), ('hex-string', "'0x1F90'", '0x1F90'),
         ('infinity', 'Infinity', float('inf')), ('nan', 'NaN', float('nan')),
         ('list', '[12345]', [12345]), ('negative', '-5', -5), ('empty-string', "''", '')]
for _label, _js, _value in PORTS:
    # udp6 cannot bind an IPv4 address (uv_ip6_addr fails: EINVAL), so the
    # error's message shows the port as given, with no traffic at all.
    @twin(f'bind-error-port-{_label}', f"""
const s = env.mk('udp6'); s.bind({{ port: {_js}, address: '0.0.0.0' }});""")
    def _port_message(env: Env, value: Any = _value) -> None:
        s = env.mk('udp6')
        s.bind({'port': value, 'address': '0.0.0.0'})


# --- 9. any object is bind's options ------------------------------------------------------

BIND_OBJECTS = [('empty-list', '[]', []), ('one-port-list', '[12345]', [12345]),
                ('buffer', "Buffer.from('x')", b'x'), ('nested', '[{}]', [{}])]
for _label, _js, _value in BIND_OBJECTS:
    @twin(f'bind-options-{_label}', f"""
const s = env.mk('udp4');
env.t('bind', () => s.bind({_js}, '1234', () => env.note('address', s.address().address)));""")
    def _bind_object(env: Env, value: Any = _value) -> None:
        s = env.mk('udp4')
        env.t('bind', lambda: s.bind(value, '1234',
                                     lambda: env.note('address', s.address().address)))


@twin('bind-options-list-lookup', """
const lookup = (address, family, cb) => {
  env.note('lookup', address, family);
  cb(new Error('no'));
};
const s = env.mk({ type: 'udp4', lookup });
s.bind([], '0x7f000001');""")
def _bind_list_lookup(env: Env) -> None:
    def lookup(address: str, family: int, cb: Any) -> None:
        env.note('lookup', address, family)
        cb(Exception('no'))
    s = env.mk({'type': 'udp4', 'lookup': lookup})
    s.bind([], '0x7f000001')


@twin('bind-callback-is-the-last-argument', """
const s = env.mk('udp4');
s.bind(env.fn('first'), undefined);
const t = env.mk('udp4');
t.bind(0, '127.0.0.1', undefined, env.fn('fourth'));""")
def _bind_last_argument(env: Env) -> None:
    s = env.mk('udp4')
    s.bind(env.fn('first'), None)
    t = env.mk('udp4')
    t.bind(0, '127.0.0.1', None, env.fn('fourth'))


# --- the comparison -------------------------------------------------------------------------

node_records, test_twin_matches_node = comparison_tests(TWINS)
