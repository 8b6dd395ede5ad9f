"""docs/api.md covers every public name of dgram_uv.

A name counts as documented when an inline code span of docs/api.md is the
name itself, optionally qualified (`Socket.bind`) and optionally followed by
its arguments (`bind(port=None, ...)`).  The names come from the modules
listed in MODULES (their ``__all__``, their exception classes, and the public
members of their public classes), from ``dgram_uv.__all__``, and from the
classes the public functions return.
"""

from __future__ import annotations

import importlib
import importlib.util
import re
import typing
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import dgram_uv

DOC = Path(__file__).resolve().parent.parent / 'docs' / 'api.md'

# Public modules whose public names the reference must cover.
MODULES = [
    'dgram_uv',
    'dgram_uv.errors',
    'dgram_uv.events',
    'dgram_uv.dns',
    'dgram_uv.blocklist',
    'dgram_uv.abort',
    'dgram_uv.cluster',
    'dgram_uv.diagnostics_channel',
    'dgram_uv.trace',
    'dgram_uv.aio',
]

# Names documented ahead of the code in modules that exist (keyword-safe API,
# embedding): checked in the doc now, and through MODULES once exported.
PENDING_NAMES = ('call_soon_threadsafe', 'SocketOptions', 'RemoteInfo', 'AddressInfo',
                 '__version__')

# What `python -m dgram_uv` offers; each must appear in a code span.
COMMANDS = ('python -m dgram_uv run script.py', 'python -m dgram_uv script.py',
            'python -m dgram_uv trace script.py', 'python -m dgram_uv --version')


def _code_spans(text: str) -> set[str]:
    """The inline code spans of a Markdown text, fenced blocks left out."""
    prose = re.sub(r'^```.*?^```', '', text, flags=re.S | re.M)
    return {span.strip() for span in re.findall(r'`([^`\n]+)`', prose)}


SPANS = _code_spans(DOC.read_text(encoding='utf-8'))


def _documented(name: str) -> bool:
    pattern = re.compile(rf'(?:await )?(?:[\w.]+\.)?{re.escape(name)}(?:\(.*\))?')
    return any(pattern.fullmatch(span) for span in SPANS)


def _module_names(module: ModuleType) -> set[str]:
    """``__all__`` plus the exception classes the module defines (Node's codes)."""
    names = set(getattr(module, '__all__', ()))
    for name, value in vars(module).items():
        if (not name.startswith('_') and isinstance(value, type)
                and issubclass(value, BaseException) and value.__module__ == module.__name__):
            names.add(name)
    return names


def _members(cls: type) -> set[str]:
    """Public members a dgram_uv class defines or inherits from dgram_uv classes."""
    return {name for klass in cls.__mro__ if klass.__module__.startswith('dgram_uv')
            for name in vars(klass) if not name.startswith('_')}


def _public_classes() -> Iterator[tuple[str, type]]:
    seen: set[type] = set()
    for module_name in MODULES:
        module = importlib.import_module(module_name)
        for name in sorted(_module_names(module)):
            value = getattr(module, name)
            if isinstance(value, type) and not issubclass(value, BaseException) \
                    and value not in seen:
                seen.add(value)
                yield f'{module_name}.{name}', value
    # Classes users hold without importing them: what the timer functions return.
    for function in (dgram_uv.set_timeout, dgram_uv.set_immediate):
        returned = typing.get_type_hints(function)['return']
        if returned not in seen:
            seen.add(returned)
            yield f'{function.__name__}() -> {returned.__name__}', returned


def _all_names() -> list[tuple[str, str]]:
    names = []
    for module_name in MODULES:
        module = importlib.import_module(module_name)
        names += [(module_name, name) for name in sorted(_module_names(module))]
    for owner, cls in _public_classes():
        names += [(owner, name) for name in sorted(_members(cls))]
    return names


def test_every_public_name_is_documented() -> None:
    missing = [f'{owner}: {name}' for owner, name in _all_names() if not _documented(name)]
    assert not missing, 'not in docs/api.md (as `name`):\n' + '\n'.join(missing)


def test_socket_methods_and_camel_aliases_are_documented() -> None:
    # Spelled out on its own: Socket is the heart of the reference.
    methods = [name for name in dir(dgram_uv.Socket)
               if not name.startswith('_') and callable(getattr(dgram_uv.Socket, name))]
    assert 'add_membership' in methods and 'addMembership' in methods
    missing = [name for name in methods if not _documented(name)]
    assert not missing, missing


def test_pending_names_are_documented() -> None:
    assert [name for name in PENDING_NAMES if not _documented(name)] == []


def test_commands_are_documented() -> None:
    missing = [command for command in COMMANDS
               if not any(span.startswith(command) for span in SPANS)]
    assert not missing, missing


def test_checker_finds_what_is_missing() -> None:
    # The matcher must not accept everything: a name that is nowhere, or only
    # inside a longer identifier, is not documented.
    assert not _documented('creat_socket')
    assert not _documented('membership')
    assert _documented('add_membership') and _documented('setTTL')


def test_reference_stands_alone() -> None:
    text = DOC.read_text(encoding='utf-8')
    assert 'SPEC.md' not in text
