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


def _run(argv: list[str]) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE='1', PYTHONUNBUFFERED='1')
    env.pop('NODE_OPTIONS', None)
    try:
        return subprocess.run(argv, cwd=SCENARIOS, env=env, capture_output=True, text=True,
                              timeout=TIMEOUT, check=False)
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f'{" ".join(argv)} did not finish within {TIMEOUT} s; output so far:\n'
                    f'{exc.stdout or ""}')


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
    assert node.returncode == 0, _report(f'node {name}.js', node)
    assert python.returncode == 0, _report(f'python {name}.py', python)
    if node.stdout != python.stdout:
        diff = ''.join(difflib.unified_diff(
            node.stdout.splitlines(keepends=True), python.stdout.splitlines(keepends=True),
            fromfile=f'node {name}.js', tofile=f'dgram_uv {name}.py'))
        pytest.fail(f'{name}: outputs differ\n{diff}\n--- python stderr\n{python.stderr}',
                    pytrace=False)
    assert node.stdout, f'{name}.js printed nothing'
