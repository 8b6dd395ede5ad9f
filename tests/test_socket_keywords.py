"""Keyword calls deliver exactly what the keywords say: ``send(msg, port=P,
address=H)`` sends the whole message, ``offset=``/``length=`` slice only when
given, positional arguments before keywords fill Node's short form (or the
long one), and ``bind``/``connect`` take their parameters by name.  Node's
positional forms stay as they are (tests/test_socket_send.py)."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import pytest
from socket_harness import LOOPBACK, Harness
from test_socket_send import receive

import dgram_uv as dgram
from dgram_uv import errors

# (form, call given (socket, port, address, callback), sent, callback?)
KEYWORD_FORMS: list[tuple[str, Callable[..., Any], bytes, bool]] = [
    ('send(msg, port=, address=)',
     lambda s, p, a, cb: s.send(b'hello', port=p, address=a), b'hello', False),
    ('send(msg, port=, address=, callback=)',
     lambda s, p, a, cb: s.send(b'hello', port=p, address=a, callback=cb), b'hello', True),
    ('send(msg, port=)', lambda s, p, a, cb: s.send('whole', port=p), b'whole', False),
    ('send(msg, P, address=)', lambda s, p, a, cb: s.send(b'mixed', p, address=a),
     b'mixed', False),
    ('send(msg, P, callback=)', lambda s, p, a, cb: s.send(b'mixcb', p, callback=cb),
     b'mixcb', True),
    ('send(msg, P, H, callback=)', lambda s, p, a, cb: s.send(b'mix3', p, a, callback=cb),
     b'mix3', True),
    ('send(msg, offset=, port=, address=)',
     lambda s, p, a, cb: s.send(b'xxtail', offset=2, port=p, address=a), b'tail', False),
    ('send(msg, length=, port=)', lambda s, p, a, cb: s.send(b'headxx', length=4, port=p),
     b'head', False),
    ('send(msg, 1, 3, port=, address=)',
     lambda s, p, a, cb: s.send(b'xabcx', 1, 3, port=p, address=a), b'abc', False),
    ('send(msg, 1, 3, port=, callback=)',
     lambda s, p, a, cb: s.send(b'xabcx', 1, 3, port=p, callback=cb), b'abc', True),
    ('send(list, port=, address=)',
     lambda s, p, a, cb: s.send([b'ab', 'cd', bytearray(b'ef')], port=p, address=a),
     b'abcdef', False),
    ('send(memoryview, offset=, length=, port=)',
     lambda s, p, a, cb: s.send(memoryview(b'0123456789'), offset=3, length=4, port=p),
     b'3456', False),
]


@pytest.mark.parametrize('kind', ['udp4', 'udp6'])
@pytest.mark.parametrize(('call', 'sent', 'with_callback'),
                         [case[1:] for case in KEYWORD_FORMS],
                         ids=[case[0] for case in KEYWORD_FORMS])
def test_keyword_sends_deliver_exactly_the_bytes(h: Harness, kind: str, call: Callable[..., Any],
                                                 sent: bytes, with_callback: bool) -> None:
    sender = h.socket(kind)
    log: list[Any] = []

    def then(port: int) -> None:
        call(sender, port, LOOPBACK[kind], lambda *args: log.append(args))
    got = receive(h, kind, 1, then)
    h.run()
    assert [msg for msg, _ in got] == [sent]
    assert log == ([(None, len(sent))] if with_callback else [])


@pytest.mark.parametrize('kind', ['udp4', 'udp6'])
def test_connected_keyword_sends(h: Harness, kind: str) -> None:
    sender = h.socket(kind)
    log: list[Any] = []

    def then(port: int) -> None:
        def on_connect() -> None:
            sender.send(b'one', callback=lambda *a: log.append(a))
            sender.send(b'xxtwoxx', offset=2, length=3)
            with pytest.raises(errors.ERR_SOCKET_DGRAM_IS_CONNECTED):
                sender.send(b'three', port=port)
        sender.connect(port=port, address=LOOPBACK[kind], callback=on_connect)
    got = receive(h, kind, 2, then)
    h.run()
    assert [msg for msg, _ in got] == [b'one', b'two']
    assert log == [(None, 3)]


def test_keyword_errors_are_nodes_for_the_value_at_fault(h: Harness) -> None:
    sock = h.socket('udp4')
    with pytest.raises(errors.ERR_SOCKET_BAD_PORT):
        sock.send(b'x', port=70000, address='127.0.0.1')
    with pytest.raises(errors.ERR_SOCKET_BAD_PORT):
        sock.send(b'x', address='127.0.0.1')            # no port: Node's missing port
    with pytest.raises(errors.ERR_BUFFER_OUT_OF_BOUNDS):
        sock.send(b'abc', offset=5, port=9, address='127.0.0.1')
    with pytest.raises(errors.ERR_BUFFER_OUT_OF_BOUNDS):
        sock.send(b'abc', offset=1, length=5, port=9, address='127.0.0.1')
    with pytest.raises(errors.ERR_INVALID_ARG_TYPE):
        sock.send(b'x', port=9, address=5)
    with pytest.raises(TypeError):
        sock.send(b'x', 0, 1, '127.0.0.1', print, 7, port=9)  # more positionals than slots
    h.close_all()
    h.run()


def test_bind_and_connect_by_keyword(h: Harness) -> None:
    receiver = h.socket('udp4')
    sender = h.socket('udp4')
    got: list[bytes] = []
    receiver.on('message', lambda msg, rinfo: (got.append(msg), h.close_all()))

    def listening() -> None:
        port = receiver.address().port
        sender.connect(port=port, address='127.0.0.1',
                       callback=lambda: sender.send(b'by keyword'))
    receiver.bind(port=0, address='127.0.0.1', callback=listening)
    h.run()
    assert got == [b'by keyword']


def test_signatures_are_truthful() -> None:
    send = inspect.signature(dgram.Socket.send)
    assert list(send.parameters) == ['self', 'msg', 'args', 'offset', 'length', 'port',
                                     'address', 'callback']
    assert send.parameters['msg'].kind is inspect.Parameter.POSITIONAL_ONLY
    assert all(send.parameters[name].kind is inspect.Parameter.KEYWORD_ONLY
               for name in ('offset', 'length', 'port', 'address', 'callback'))
    bind = inspect.signature(dgram.Socket.bind)
    assert list(bind.parameters)[:4] == ['self', 'port', 'address', 'callback']
    assert not any(p.kind is inspect.Parameter.VAR_KEYWORD for p in bind.parameters.values())
    connect = inspect.signature(dgram.Socket.connect)
    assert list(connect.parameters)[:4] == ['self', 'port', 'address', 'callback']
    # Beyond Node's parameters only a *rest that takes what JS would ignore.
    assert [p.kind for p in list(connect.parameters.values())[4:]] == [
        inspect.Parameter.VAR_POSITIONAL]
    for forms in ('send(msg, port', 'send(msg, offset, length, port', 'send(msg, port=P'):
        assert forms in (dgram.Socket.send.__doc__ or '')
