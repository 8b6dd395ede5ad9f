"""The package's shape: imports flow one way (public modules -> ``_internal`` ->
``_binding`` -> pyuv), with no cycle, and no module is over 500 lines.

Every import statement counts, at module level or inside a function, except
those under ``if TYPE_CHECKING:`` (they never run).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / 'dgram_uv'
MAX_LINES = 500


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix('').parts)
    if parts[-1] == '__init__':
        parts.pop()
    return '.'.join(parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob('*.py'))}


def _is_package(name: str) -> bool:
    return MODULES[name].name == '__init__.py'


def _layer(name: str) -> int:
    """0: the binding, 1: lib/internal, 2: the public modules."""
    if name.startswith('dgram_uv._binding'):
        return 0
    if name.startswith('dgram_uv._internal'):
        return 1
    return 2


def _type_checking_nodes(tree: ast.Module) -> set[int]:
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and 'TYPE_CHECKING' in ast.unparse(node.test):
            skipped.update(id(n) for stmt in node.body for n in ast.walk(stmt))
    return skipped


def imports_of(name: str) -> set[str]:
    """The package's modules that ``name`` imports."""
    tree = ast.parse(MODULES[name].read_text())
    skipped = _type_checking_nodes(tree)
    here = name if _is_package(name) else name.rpartition('.')[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name in MODULES)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here.rsplit('.', node.level - 1)[0] if node.level > 1 else here
                target = f'{base}.{node.module}' if node.module else base
            else:
                target = node.module or ''
            if target not in MODULES:
                continue
            submodules = {f'{target}.{alias.name}' for alias in node.names}
            found.update(submodules & MODULES.keys() or {target})
    found.discard(name)
    return found


GRAPH = {name: imports_of(name) for name in MODULES}


def test_graph_is_not_empty() -> None:
    assert 'dgram_uv.dgram' in GRAPH and 'dgram_uv._binding.udp_wrap' in GRAPH['dgram_uv.dgram']
    assert len(MODULES) > 20


@pytest.mark.parametrize('name', sorted(MODULES))
def test_no_upward_import(name: str) -> None:
    upward = sorted(t for t in GRAPH[name] if _layer(t) > _layer(name))
    assert not upward, f'{name} imports a higher layer: {upward}'


def test_no_import_cycle() -> None:
    state: dict[str, int] = {}   # 1: on the current path, 2: done
    path: list[str] = []

    def visit(name: str) -> None:
        state[name] = 1
        path.append(name)
        for target in sorted(GRAPH[name]):
            if state.get(target) == 1:
                cycle = path[path.index(target):] + [target]
                pytest.fail('import cycle: ' + ' -> '.join(cycle))
            if target not in state:
                visit(target)
        path.pop()
        state[name] = 2

    for name in sorted(MODULES):
        if name not in state:
            visit(name)


@pytest.mark.parametrize('name', sorted(MODULES))
def test_module_size(name: str) -> None:
    lines = len(MODULES[name].read_text().splitlines())
    assert lines <= MAX_LINES, f'{name} has {lines} lines (at most {MAX_LINES})'


def test_detects_cycle_and_upward_edge(monkeypatch: pytest.MonkeyPatch) -> None:
    # The checks above can fail: a made-up graph with a cycle and an upward edge.
    fake = {'dgram_uv._binding.a': {'dgram_uv._internal.b'},
            'dgram_uv._internal.b': {'dgram_uv._binding.a'}}
    monkeypatch.setitem(globals(), 'GRAPH', fake)
    monkeypatch.setitem(globals(), 'MODULES', dict.fromkeys(fake, PACKAGE / 'x.py'))
    with pytest.raises(pytest.fail.Exception, match='import cycle'):
        test_no_import_cycle()
    with pytest.raises(AssertionError, match='imports a higher layer'):
        test_no_upward_import('dgram_uv._binding.a')
