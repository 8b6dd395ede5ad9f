"""The parity harness: every ``scenarios/<name>.js`` runs under the Node
oracle and its twin ``scenarios/<name>.py`` under dgram_uv; their outputs must
be identical and both must exit 0.  See README.md in this folder.
"""

from __future__ import annotations

import difflib
import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
SCENARIOS = HERE / 'scenarios'
ROOT = HERE.parent.parent
NODE = ROOT / '.cache' / 'node' / 'bin' / 'node'
VENV_PYTHON = ROOT / '.venv' / 'bin' / 'python'
PYTHON = VENV_PYTHON if VENV_PYTHON.exists() else Path(sys.executable)
TIMEOUT = 60


def _names() -> list[str]:
    return sorted(p.stem for p in SCENARIOS.glob('*.js') if not p.name.startswith('_'))


# Every scenario runs in a network namespace of its own with only `lo` up, so
# that nothing it does (a name lookup through the system resolver included)
# can leave this machine: there, a lookup fails at once with EAI_AGAIN.
ISOLATE = ['unshare', '--net', '--', 'sh', '-c', 'ip link set lo up && exec "$@"', 'isolated']


def _run(argv: list[str]) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE='1', PYTHONUNBUFFERED='1')
    env.pop('NODE_OPTIONS', None)
    try:
        return subprocess.run(ISOLATE + argv, cwd=SCENARIOS, env=env, capture_output=True,
                              text=True, timeout=TIMEOUT, check=False)
    except subprocess.TimeoutExpired as exc:
        partial = exc.stdout or ''
        if isinstance(partial, bytes):
            partial = partial.decode(errors='replace')
        pytest.fail(f'{" ".join(argv)} did not finish within {TIMEOUT} s; output so far:\n'
                    f'{partial}')


def _report(label: str, proc: subprocess.CompletedProcess[str]) -> str:
    return (f'--- {label}: exit {proc.returncode}\n--- stdout\n{proc.stdout}'
            f'--- stderr\n{proc.stderr}')


def test_every_scenario_has_a_twin() -> None:
    js = {p.stem for p in SCENARIOS.glob('*.js') if not p.name.startswith('_')}
    py = {p.stem for p in SCENARIOS.glob('*.py') if not p.name.startswith('_')}
    assert js == py, f'without a twin: {sorted(js ^ py)}'


@pytest.mark.skipif(not NODE.exists(), reason='the Node oracle is installed by scripts/setup')
@pytest.mark.parametrize('name', _names())
def test_parity(name: str) -> None:
    node = _run([str(NODE), f'{name}.js'])
    python = _run([str(PYTHON), f'{name}.py'])
    problems = []
    if node.returncode != 0:
        problems.append(_report(f'node {name}.js', node))
    if python.returncode != 0:
        problems.append(_report(f'python {name}.py', python))
    if node.stdout != python.stdout:
        diff = ''.join(difflib.unified_diff(
            node.stdout.splitlines(keepends=True), python.stdout.splitlines(keepends=True),
            fromfile=f'node {name}.js', tofile=f'dgram_uv {name}.py'))
        problems.append(f'outputs differ:\n{diff}--- python stderr\n{python.stderr}')
    if not node.stdout:
        problems.append(f'{name}.js printed nothing')
    if problems:
        pytest.fail(f'{name}:\n' + '\n'.join(problems), pytrace=False)
