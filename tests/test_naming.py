"""Node's camelCase names: every public snake_case method of the public classes
has its camelCase alias written in the class body (so a type checker sees it),
spelled by the one rule ``naming.camel_case`` (plus its ``CAMEL_WORDS``), and
the alias is the same object at run time."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest

import dgram_uv as dgram
from dgram_uv import abort, blocklist, cluster, diagnostics_channel, events
from dgram_uv._internal import event_target
from dgram_uv._internal.naming import camel_case

CLASSES = [dgram.Socket, events.EventEmitter, blocklist.BlockList, blocklist.SocketAddress,
           abort.AbortSignal, event_target.Event, event_target.EventTarget, cluster.Worker,
           diagnostics_channel.Channel]
OVERRIDES = {'to_json': 'toJSON'}


def _public_snake_names(cls: type) -> list[str]:
    tree = ast.parse(Path(inspect.getfile(cls)).read_text())
    node = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == cls.__name__)
    return [b.name for b in node.body if isinstance(b, (ast.FunctionDef, ast.AsyncFunctionDef))
            and '_' in b.name.strip('_') and not b.name.startswith('_')]


def _class_body_assignments(cls: type) -> dict[str, str]:
    tree = ast.parse(Path(inspect.getfile(cls)).read_text())
    node = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == cls.__name__)
    found: dict[str, str] = {}
    for stmt in node.body:
        if isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Name):
            for target in stmt.targets:
                if isinstance(target, ast.Name):
                    found[target.id] = stmt.value.id
    return found


@pytest.mark.parametrize('cls', CLASSES, ids=lambda c: c.__name__)
def test_aliases_are_written_in_the_class_body(cls: type) -> None:
    names = _public_snake_names(cls)
    assigned = _class_body_assignments(cls)
    assert names, cls
    for name in names:
        alias = OVERRIDES.get(name, camel_case(name))
        assert assigned.get(alias) == name, f'{cls.__name__}.{alias} = {name} is missing'
        assert getattr(cls, alias) is getattr(cls, name)


def test_socket_aliases_are_nodes_names() -> None:
    for node_name in ('addMembership', 'setMulticastTTL', 'setTTL', 'getSendQueueCount',
                      'remoteAddress', 'addSourceSpecificMembership', 'setRecvBufferSize'):
        assert callable(getattr(dgram.Socket, node_name))
    assert dgram.createSocket is dgram.create_socket
    assert dgram.setImmediate is dgram.set_immediate
    assert camel_case('set_multicast_ttl') == 'setMulticastTTL'

