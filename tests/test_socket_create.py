"""dgram.create_socket against Node v23.5.0: every option, spelled as Node's
mapping and as snake_case keywords, Node's validation errors, AbortSignal.

Expected values were settled with the Node oracle (``.cache/node/bin/node``);
where the answer depends on the machine (buffer sizes) or on event order, the
test runs the JS twin under the oracle and compares.  Real sockets on the
loopback addresses only, on the real loop.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from socket_harness import Harness, Node

import dgram_uv as dgram
from dgram_uv import errors

NODE_NAMES = {
    'type': 'type', 'reuse_addr': 'reuseAddr', 'reuse_port': 'reusePort',
    'ipv6_only': 'ipv6Only', 'recv_buffer_size': 'recvBufferSize',
    'send_buffer_size': 'sendBufferSize', 'lookup': 'lookup', 'signal': 'signal',
    'receive_block_list': 'receiveBlockList', 'send_block_list': 'sendBlockList',
}
FORMS = ['mapping', 'keywords']


def options_call(form: str, **snake: Any) -> tuple[tuple[Any, ...], dict[str, Any]]:
    """(args, kwargs) for create_socket: Node's mapping, or snake_case keywords."""
    if form == 'mapping':
        return ({NODE_NAMES[key]: value for key, value in snake.items()},), {}
    return (), snake


def make(h: Harness, form: str, **snake: Any) -> dgram.Socket:
    args, kwargs = options_call(form, **snake)
    return h.socket(*args, **kwargs)


# --- types and spellings ----------------------------------------------------------------

@pytest.mark.parametrize(('kind', 'address', 'family'),
                         [('udp4', '127.0.0.1', 'IPv4'), ('udp6', '::1', 'IPv6')])
@pytest.mark.parametrize('spelling', ['positional', 'mapping', 'keyword', 'camel', 'class'])
def test_type_spellings(h: Harness, spelling: str, kind: str, address: str,
                        family: str) -> None:
    if spelling == 'positional':
        sock = h.socket(kind)
    elif spelling == 'mapping':
        sock = h.socket({'type': kind})
    elif spelling == 'keyword':
        sock = h.socket(type=kind)
    elif spelling == 'camel':
        sock = h.track(dgram.createSocket(kind))
    else:
        sock = h.track(dgram.Socket(kind))
    assert isinstance(sock, dgram.Socket)
    assert sock.type == kind
    seen: list[Any] = []
    sock.bind(0, address, lambda: (seen.append(sock.address()), sock.close()))
    h.run()
    assert len(seen) == 1
    assert seen[0].address == address
    assert seen[0].family == family
    assert seen[0].port > 0


def test_create_socket_camel_case_alias_is_the_same_function() -> None:
    assert dgram.createSocket is dgram.create_socket


def test_type_positional_with_keyword_options(h: Harness) -> None:
    # create_socket('udp4', reuse_addr=True): the type positionally, options as keywords.
    first = h.socket('udp4', reuse_addr=True)
    second = h.socket('udp4', reuse_addr=True)
    ports: list[int] = []

    def on_first() -> None:
        ports.append(first.address().port)
        second.bind(ports[0], '127.0.0.1', on_second)

    def on_second() -> None:
        ports.append(second.address().port)
        first.close()
        second.close()
    first.bind(0, '127.0.0.1', on_first)
    h.run()
    assert len(ports) == 2
    assert ports[0] == ports[1]


def test_mapping_and_keywords_merge(h: Harness) -> None:
    # The mapping gives the type, a keyword an option: both apply.
    first = h.socket({'type': 'udp4'}, reuse_addr=True)
    second = h.socket({'type': 'udp4', 'reuseAddr': True})
    ports: list[int] = []

    def on_first() -> None:
        ports.append(first.address().port)
        second.bind(ports[0], '127.0.0.1', lambda: (ports.append(second.address().port),
                                                   first.close(), second.close()))
    first.bind(0, '127.0.0.1', on_first)
    h.run()
    assert ports == [ports[0], ports[0]]
    assert len(ports) == 2


@pytest.mark.parametrize('form', ['positional', 'mapping'])
def test_listener_argument_listens_for_message(h: Harness, form: str) -> None:
    got: list[tuple[bytes, str]] = []

    def on_message(msg: bytes, rinfo: Any) -> None:
        got.append((msg, rinfo.address))
        receiver.close()
    receiver = h.socket('udp4' if form == 'positional' else {'type': 'udp4'}, on_message)
    assert receiver.listener_count('message') == 1
    sender = h.socket('udp4')

    def on_listening() -> None:
        sender.send(b'hello', receiver.address().port, '127.0.0.1',
                    lambda err, n: sender.close())
    receiver.bind(0, '127.0.0.1', on_listening)
    h.run()
    assert got == [(b'hello', '127.0.0.1')]


def test_listener_argument_not_callable_is_ignored(h: Harness) -> None:
    # Node: `if (typeof listener === 'function') this.on('message', listener)`.
    sock = h.socket('udp4', 'not a function')
    assert sock.listener_count('message') == 0
    sock.close()
    h.run()


def test_unknown_keyword_is_a_python_type_error() -> None:
    with pytest.raises(TypeError) as info:
        dgram.create_socket(type='udp4', no_such_option=True)
    assert not isinstance(info.value, errors.NodeError)
    assert 'no_such_option' in str(info.value)
    with pytest.raises(TypeError):
        dgram.create_socket('udp4', reuseaddr=True)     # a misspelling is unknown too


def test_unknown_key_in_the_mapping_is_ignored_like_node(h: Harness) -> None:
    # Node ignores properties it does not know: createSocket({type, foo: 1}).
    sock = h.socket({'type': 'udp4', 'noSuchOption': 1})
    assert sock.type == 'udp4'
    sock.close()
    h.run()


# --- Node's validation: same code, same family ------------------------------------

# (snake_case options, code, Python family, Node's message up to "Received")
BAD_OPTIONS: list[tuple[dict[str, Any], str, type[BaseException], str]] = [
    ({'type': 'udp5'}, 'ERR_SOCKET_BAD_TYPE', TypeError,
     'Bad socket type specified. Valid types are: udp4, udp6'),
    ({'type': 4}, 'ERR_SOCKET_BAD_TYPE', TypeError,
     'Bad socket type specified. Valid types are: udp4, udp6'),
    ({'type': 'UDP4'}, 'ERR_SOCKET_BAD_TYPE', TypeError,
     'Bad socket type specified. Valid types are: udp4, udp6'),
    ({}, 'ERR_SOCKET_BAD_TYPE', TypeError,
     'Bad socket type specified. Valid types are: udp4, udp6'),
    ({'type': 'udp4', 'lookup': 5}, 'ERR_INVALID_ARG_TYPE', TypeError,
     'The "lookup" argument must be of type function. Received'),
    ({'type': 'udp4', 'lookup': 'dns.lookup'}, 'ERR_INVALID_ARG_TYPE', TypeError,
     'The "lookup" argument must be of type function. Received'),
    ({'type': 'udp4', 'recv_buffer_size': 1.5}, 'ERR_OUT_OF_RANGE', ValueError,
     'The value of "options.recvBufferSize" is out of range. It must be an integer. '
     'Received 1.5'),
    ({'type': 'udp4', 'recv_buffer_size': -1}, 'ERR_OUT_OF_RANGE', ValueError,
     'The value of "options.recvBufferSize" is out of range. It must be >= 0 && '
     '<= 4294967295. Received -1'),
    ({'type': 'udp4', 'recv_buffer_size': 2 ** 32}, 'ERR_OUT_OF_RANGE', ValueError,
     'The value of "options.recvBufferSize" is out of range. It must be >= 0 && '
     '<= 4294967295. Received 4294967296'),
    ({'type': 'udp4', 'recv_buffer_size': 'x'}, 'ERR_INVALID_ARG_TYPE', TypeError,
     'The "options.recvBufferSize" property must be of type number. Received'),
    ({'type': 'udp4', 'recv_buffer_size': True}, 'ERR_INVALID_ARG_TYPE', TypeError,
     'The "options.recvBufferSize" property must be of type number. Received'),
    ({'type': 'udp4', 'send_buffer_size': 1.5}, 'ERR_OUT_OF_RANGE', ValueError,
     'The value of "options.sendBufferSize" is out of range. It must be an integer. '
     'Received 1.5'),
    ({'type': 'udp4', 'send_buffer_size': -1}, 'ERR_OUT_OF_RANGE', ValueError,
     'The value of "options.sendBufferSize" is out of range. It must be >= 0 && '
     '<= 4294967295. Received -1'),
    ({'type': 'udp4', 'send_buffer_size': 'x'}, 'ERR_INVALID_ARG_TYPE', TypeError,
     'The "options.sendBufferSize" property must be of type number. Received'),
    ({'type': 'udp4', 'signal': 5}, 'ERR_INVALID_ARG_TYPE', TypeError,
     'The "options.signal" property must be an instance of AbortSignal. Received'),
    ({'type': 'udp4', 'signal': {}}, 'ERR_INVALID_ARG_TYPE', TypeError,
     'The "options.signal" property must be an instance of AbortSignal. Received'),
    ({'type': 'udp4', 'signal': 'signal'}, 'ERR_INVALID_ARG_TYPE', TypeError,
     'The "options.signal" property must be an instance of AbortSignal. Received'),
    ({'type': 'udp4', 'receive_block_list': 5}, 'ERR_INVALID_ARG_TYPE', TypeError,
     'The "options.receiveBlockList" property must be an net.BlockList. Received'),
    ({'type': 'udp4', 'receive_block_list': {}}, 'ERR_INVALID_ARG_TYPE', TypeError,
     'The "options.receiveBlockList" property must be an net.BlockList. Received'),
    ({'type': 'udp4', 'send_block_list': ['127.0.0.1']}, 'ERR_INVALID_ARG_TYPE', TypeError,
     'The "options.sendBlockList" property must be an net.BlockList. Received'),
    ({'type': 'udp4', 'send_block_list': {}}, 'ERR_INVALID_ARG_TYPE', TypeError,
     'The "options.sendBlockList" property must be an net.BlockList. Received'),
    # Node validates the buffer sizes and block lists, then the lookup, then the type.
    ({'type': 'udp5', 'recv_buffer_size': 'x'}, 'ERR_INVALID_ARG_TYPE', TypeError,
     'The "options.recvBufferSize" property must be of type number. Received'),
    ({'type': 'udp5', 'lookup': 5}, 'ERR_INVALID_ARG_TYPE', TypeError,
     'The "lookup" argument must be of type function. Received'),
    ({'type': 'udp5', 'send_block_list': 5}, 'ERR_INVALID_ARG_TYPE', TypeError,
     'The "options.sendBlockList" property must be an net.BlockList. Received'),
]


@pytest.mark.parametrize('form', FORMS)
@pytest.mark.parametrize(('snake', 'code', 'family', 'message'), BAD_OPTIONS,
                         ids=[f'{i}-{case[1]}' for i, case in enumerate(BAD_OPTIONS)])
def test_bad_option_values(form: str, snake: dict[str, Any], code: str,
                           family: type[BaseException], message: str) -> None:
    args, kwargs = options_call(form, **snake)
    with pytest.raises(errors.NodeError) as info:
        dgram.create_socket(*args, **kwargs)
    assert info.value.code == code
    assert isinstance(info.value, family)
    assert str(info.value).startswith(message)


@pytest.mark.parametrize('bad', ['udp5', 4, None])
def test_bad_type_positional(bad: Any) -> None:
    with pytest.raises(TypeError) as info:
        dgram.create_socket(bad)
    assert getattr(info.value, 'code', None) == 'ERR_SOCKET_BAD_TYPE'
    assert isinstance(info.value, errors.NodeError)


@pytest.mark.parametrize('form', FORMS)
def test_falsy_option_values_are_not_validated(h: Harness, form: str) -> None:
    # Node: `if (options.recvBufferSize) validateUint32(...)`; 0 / None are skipped.
    sock = make(h, form, type='udp4', recv_buffer_size=0, send_buffer_size=0,
                receive_block_list=None, send_block_list=None)
    sock.bind(0, '127.0.0.1', sock.close)
    h.run()


# --- lookup ----------------------------------------------------------------------------

JS_LOOKUP = '''
const dgram = require('dgram');
const out = [];
const log = (...a) => out.push(a.map(String).join(' '));
process.on('exit', () => process.stdout.write(JSON.stringify(out)));
const lookup = (host, family, cb) => {
  log('lookup', host, family, typeof cb);
  cb(null, family === 4 ? '127.0.0.1' : '::1', family);
};
const r = dgram.createSocket(%(r_options)s);
r.bind(0, 'myhost', () => {
  log('bound', r.address().address);
  const s = dgram.createSocket(%(s_options)s);
  s.send('a', r.address().port, 'other', (e, n) => {
    log('sent a', e, n);
    s.send('b', r.address().port, (e, n) => { log('sent b', e, n); s.close(); r.close(); });
  });
});
log('after bind');
const s6 = dgram.createSocket(%(s6_options)s);
s6.bind(0, () => { log('bound6', s6.address().address); s6.close(); });
'''


def py_lookup(form: str) -> list[str]:
    out: list[str] = []

    def log(*args: Any) -> None:
        out.append(' '.join('null' if a is None else str(a) for a in args))

    def lookup(host: str, family: int, cb: Callable[..., Any]) -> None:
        log('lookup', host, family, 'function' if callable(cb) else type(cb).__name__)
        cb(None, '127.0.0.1' if family == 4 else '::1', family)
    h = Harness()
    r = make(h, form, type='udp4', lookup=lookup)

    def on_bound() -> None:
        log('bound', r.address().address)
        s = make(h, form, type='udp4', lookup=lookup)

        def sent_a(e: Any, n: Any) -> None:
            log('sent a', e, n)

            def sent_b(e: Any, n: Any) -> None:
                log('sent b', e, n)
                s.close()
                r.close()
            s.send('b', r.address().port, sent_b)
        s.send('a', r.address().port, 'other', sent_a)
    r.bind(0, 'myhost', on_bound)
    log('after bind')
    s6 = make(h, form, type='udp6', lookup=lookup)
    s6.bind(0, lambda: (log('bound6', s6.address().address), s6.close()))
    h.run()
    return out


@pytest.mark.parametrize('form', FORMS)
def test_lookup_option_is_called_like_node(node: Node, form: str) -> None:
    # lookup(hostname, family, callback) for bind and send, with Node's defaults
    # ('0.0.0.0' / '::' for bind(), '127.0.0.1' for send without an address); a
    # lookup that answers synchronously makes bind synchronous, as in Node.
    js = JS_LOOKUP % {'r_options': "{type: 'udp4', lookup}",
                      's_options': "{type: 'udp4', lookup}",
                      's6_options': "{type: 'udp6', lookup}"}
    expected = node(js)
    assert 'lookup 0.0.0.0 4 function' in expected      # the oracle ran what we think
    assert py_lookup(form) == expected


@pytest.mark.parametrize('form', FORMS)
def test_lookup_error_is_emitted_and_bind_can_be_retried(h: Harness, form: str) -> None:
    failure = OSError('nope')
    hosts: list[str] = []

    def lookup(host: str, family: int, cb: Callable[..., Any]) -> None:
        hosts.append(host)
        if host == 'bad':
            dgram.set_immediate(cb, failure)
        else:
            dgram.set_immediate(cb, None, '127.0.0.1', 4)
    sock = make(h, form, type='udp4', lookup=lookup)
    events: list[Any] = []

    def on_error(err: BaseException) -> None:
        events.append(err)
        sock.bind(0, 'good', lambda: (events.append(sock.address().address), sock.close()))
    sock.once('error', on_error)
    sock.bind(0, 'bad')
    h.run()
    assert hosts == ['bad', 'good']
    assert events == [failure, '127.0.0.1']
    assert events[0] is failure


# --- reuse_addr / reuse_port / ipv6_only ---------------------------------------------

@pytest.mark.parametrize('form', FORMS)
@pytest.mark.parametrize(('option', 'kind', 'address'), [
    ('reuse_addr', 'udp4', '127.0.0.1'), ('reuse_port', 'udp4', '127.0.0.1'),
    ('reuse_addr', 'udp6', '::1'), ('reuse_port', 'udp6', '::1')])
def test_reuse_options_share_a_port(h: Harness, form: str, option: str, kind: str,
                                    address: str) -> None:
    first = make(h, form, type=kind, **{option: True})
    second = make(h, form, type=kind, **{option: True})
    ports: list[int] = []
    errs: list[BaseException] = []

    def on_first() -> None:
        ports.append(first.address().port)
        second.on('error', lambda err: (errs.append(err), first.close(), second.close()))
        second.bind(ports[0], address, lambda: (ports.append(second.address().port),
                                               first.close(), second.close()))
    first.bind(0, address, on_first)
    h.run()
    assert errs == []
    assert len(ports) == 2
    assert ports[0] == ports[1]


@pytest.mark.parametrize('form', FORMS)
def test_ipv6_only_frees_the_ipv4_port(h: Harness, form: str) -> None:
    # A udp6 socket on '::' with ipv6Only leaves the port free for udp4.
    six = make(h, form, type='udp6', ipv6_only=True)
    four = h.socket('udp4')
    seen: list[Any] = []
    errs: list[BaseException] = []

    def on_six() -> None:
        seen.append(six.address())
        four.on('error', lambda err: (errs.append(err), six.close(), four.close()))
        four.bind(seen[0].port, '127.0.0.1',
                  lambda: (seen.append(four.address()), six.close(), four.close()))
    six.bind(0, '::', on_six)
    h.run()
    assert errs == []
    assert [(a.address, a.family) for a in seen] == [('::', 'IPv6'), ('127.0.0.1', 'IPv4')]
    assert seen[0].port == seen[1].port


def test_without_ipv6_only_the_ipv4_port_is_taken(h: Harness) -> None:
    # The control for the test above: a dual-stack '::' holds the IPv4 port too.
    six = h.socket('udp6')
    four = h.socket('udp4')
    errs: list[BaseException] = []
    ports: list[int] = []

    def on_six() -> None:
        ports.append(six.address().port)
        four.on('error', lambda err: (errs.append(err), six.close(), four.close()))
        four.bind(ports[0], '127.0.0.1', lambda: (six.close(), four.close()))
    six.bind(0, '::', on_six)
    h.run()
    assert len(errs) == 1
    assert getattr(errs[0], 'code', None) == 'EADDRINUSE'
    assert str(errs[0]) == f'bind EADDRINUSE 127.0.0.1:{ports[0]}'


# --- buffer sizes -------------------------------------------------------------------

def test_buffer_size_options_apply_on_bind(node: Node) -> None:
    # The kernel reports its own value (Linux doubles it): compare with Node's.
    expected = node('''
const dgram = require('dgram');
const s = dgram.createSocket({type: 'udp4', recvBufferSize: 16384, sendBufferSize: 20000});
s.bind(0, '127.0.0.1', () => {
  process.stdout.write(JSON.stringify([s.getRecvBufferSize(), s.getSendBufferSize()]));
  s.close();
});''')
    got: list[list[int]] = []
    for form in FORMS:
        h = Harness()
        sock = make(h, form, type='udp4', recv_buffer_size=16384, send_buffer_size=20000)
        sock.bind(0, '127.0.0.1', lambda sock=sock: (
            got.append([sock.get_recv_buffer_size(), sock.get_send_buffer_size()]),
            sock.close()))
        h.run()
    assert got == [expected, expected]
    # And the option did something: the defaults differ.
    plain = dgram.create_socket('udp4')
    defaults: list[int] = []
    plain.bind(0, '127.0.0.1', lambda: (defaults.append(plain.get_recv_buffer_size()),
                                        plain.close()))
    dgram.run()
    assert defaults and defaults[0] != expected[0]


# --- signal ------------------------------------------------------------------------

@pytest.mark.parametrize('form', FORMS)
def test_pre_aborted_signal_closes_at_once(h: Harness, form: str) -> None:
    controller = dgram.AbortController()
    controller.abort()
    sock = make(h, form, type='udp4', signal=controller.signal)
    closes: list[str] = []
    sock.on('close', lambda: closes.append('close'))
    # Closed already: every operation that needs the handle says so.
    with pytest.raises(errors.ERR_SOCKET_DGRAM_NOT_RUNNING):
        sock.bind(0, '127.0.0.1')
    with pytest.raises(errors.ERR_SOCKET_DGRAM_NOT_RUNNING):
        sock.close()
    with pytest.raises(errors.ERR_SOCKET_DGRAM_NOT_RUNNING):
        sock.address()
    assert closes == []          # 'close' is emitted on the next tick
    h.run()
    assert closes == ['close']


@pytest.mark.parametrize('form', FORMS)
def test_later_abort_closes(h: Harness, form: str) -> None:
    controller = dgram.AbortController()
    sock = make(h, form, type='udp4', signal=controller.signal)
    log: list[str] = []
    sock.on('close', lambda: log.append('close'))

    def on_listening() -> None:
        log.append('listening')
        controller.abort()
        log.append('aborted')
        try:
            sock.address()
        except errors.ERR_SOCKET_DGRAM_NOT_RUNNING:
            log.append('not running')
    sock.bind(0, '127.0.0.1', on_listening)
    h.run()
    assert log == ['listening', 'aborted', 'not running', 'close']


def test_abort_after_close_does_nothing(h: Harness) -> None:
    controller = dgram.AbortController()
    sock = h.socket(type='udp4', signal=controller.signal)
    closes: list[str] = []
    sock.on('close', lambda: closes.append('close'))
    sock.bind(0, '127.0.0.1', sock.close)
    h.run()
    controller.abort()          # the listener went with the 'close'
    h.run()
    assert closes == ['close']


def test_signal_event_order_matches_node(node: Node) -> None:
    js = '''
const dgram = require('dgram');
const out = [];
const log = (s) => out.push(s);
process.on('exit', () => process.stdout.write(JSON.stringify(out)));
const ac = new AbortController(); ac.abort();
const s = dgram.createSocket({type: 'udp4', signal: ac.signal});
s.on('close', () => log('pre close'));
try { s.bind(0); } catch (e) { log('bind ' + e.code); }
const ac2 = new AbortController();
const s2 = dgram.createSocket({type: 'udp4', signal: ac2.signal});
s2.on('close', () => log('later close'));
s2.bind(0, '127.0.0.1', () => { log('listening'); ac2.abort(); log('aborted'); });
log('main end');
'''
    out: list[str] = []
    h = Harness()
    ac = dgram.AbortController()
    ac.abort()
    s = h.socket({'type': 'udp4', 'signal': ac.signal})
    s.on('close', lambda: out.append('pre close'))
    try:
        s.bind(0)
    except errors.NodeError as exc:
        out.append(f'bind {exc.code}')
    ac2 = dgram.AbortController()
    s2 = h.socket(type='udp4', signal=ac2.signal)
    s2.on('close', lambda: out.append('later close'))
    s2.bind(0, '127.0.0.1', lambda: (out.append('listening'), ac2.abort(),
                                     out.append('aborted')))
    out.append('main end')
    h.run()
    assert out == node(js)


# --- block lists (both spellings; the behaviour in detail is in test_socket_send) ------

@pytest.mark.parametrize('form', FORMS)
def test_block_list_options_are_used(h: Harness, form: str) -> None:
    send_list = dgram.BlockList()
    send_list.add_address('127.0.0.1')
    receive_list = dgram.BlockList()
    receive_list.add_address('127.0.0.2')
    blocked_sender = make(h, form, type='udp4', send_block_list=send_list)
    receiver = make(h, form, type='udp4', receive_block_list=receive_list)
    from_two = h.socket('udp4')
    from_one = h.socket('udp4')
    results: list[Any] = []

    def on_message(msg: bytes, rinfo: Any) -> None:
        results.append((msg, rinfo.address))
        for sock in (receiver, from_two, from_one, blocked_sender):
            sock.close()
    receiver.on('message', on_message)

    def on_listening() -> None:
        port = receiver.address().port

        def after_blocked(err: Any, *rest: Any) -> None:
            results.append((getattr(err, 'code', None), rest))
            # A datagram from the blocked 127.0.0.2, then one from 127.0.0.1.
            from_two.bind(0, '127.0.0.2', lambda: from_two.send(
                b'dropped', port, '127.0.0.1',
                lambda *_: from_one.send(b'kept', port, '127.0.0.1')))
        blocked_sender.send(b'never', port, '127.0.0.1', after_blocked)
    receiver.bind(0, '127.0.0.1', on_listening)
    h.run()
    assert results == [('ERR_IP_BLOCKED', ()), (b'kept', '127.0.0.1')]



def test_signal_may_be_any_object_with_aborted_like_node(node: Node) -> None:
    # Node's validateAbortSignal only asks for an `aborted` property: an aborted
    # plain object closes the socket at once; a live one fails in addAbortListener.
    js = '''
const dgram = require('dgram');
const out = [];
const s = dgram.createSocket({ type: 'udp4', signal: { aborted: true } });
s.on('close', () => { out.push('closed'); console.log(JSON.stringify(out)); });
try { dgram.createSocket({ type: 'udp4', signal: { aborted: false } }); out.push('created'); }
catch (e) { out.push(`${e.name}: ${e.message}`); }
'''
    out: list[str] = []
    sock = dgram.create_socket({'type': 'udp4', 'signal': {'aborted': True}})
    sock.on('close', lambda: out.append('closed'))
    try:
        dgram.create_socket({'type': 'udp4', 'signal': {'aborted': False}})
        out.append('created')
    except TypeError as err:
        out.append(f'TypeError: {err}')
    dgram.run()
    assert out == node(js) == ['TypeError: signal.addEventListener is not a function', 'closed']
