"""compat/MANIFEST.tsv lists every translated Node v23.5.0 test, with a consistent status.

The rows: every test whose file name starts with ``test-dgram-`` (test/parallel,
test/sequential, test/internet), every ``test-cluster-dgram-*``, and the other
Node tests about dgram named in OTHER_NODE_TESTS.  Each row's compat file must
follow the Node name, say which Node file it translates on its first line and,
for a ``pass`` row, be collected by pytest as one test that no mark skips (at
run time, ``common.node_test`` fails a ``pass`` test that skips itself).
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from collections import Counter
from functools import cache
from pathlib import Path

COMPAT = Path(__file__).resolve().parent
ROOT = COMPAT.parent
MANIFEST = COMPAT / 'MANIFEST.tsv'
HEADER = ['node_test', 'python_test', 'status', 'reason']
STATUSES = {'pass', 'skip', 'pending'}
# Node v23.5.0 has 87 files named test-dgram-* in these folders ...
DGRAM_TEST_COUNTS = {'parallel': 77, 'sequential': 3, 'internet': 7}
# ... six named test-cluster-dgram-* ...
CLUSTER_DGRAM_TESTS = {f'test/parallel/test-cluster-dgram-{name}.js'
                       for name in ('1', '2', 'bind-fd', 'ipv6only', 'reuse', 'reuseport')}
# ... and these others that test dgram.
OTHER_NODE_TESTS = {
    'test/parallel/test-cluster-child-index-dgram.js',
    'test/parallel/test-cluster-disconnect-unshared-udp.js',
    'test/parallel/test-ref-unref-return.js',
    'test/parallel/test-handle-wrap-hasref.js',
    'test/parallel/test-child-process-dgram-reuseport.js',
    'test/parallel/test-diagnostics-channel-udp.js',
}
NODE_TEST = re.compile(r'^test/(parallel|sequential|internet)/(test-[A-Za-z0-9-]+)\.m?js$')
# compat's own tests: not translations of a Node test.
HARNESS_TESTS = {'compat/test_manifest.py', 'compat/test_common.py'}


def _rows() -> list[list[str]]:
    lines = MANIFEST.read_text(encoding='utf-8').splitlines()
    assert lines, 'MANIFEST.tsv is empty'
    assert lines[0].split('\t') == HEADER, f'bad header: {lines[0]!r}'
    rows = [line.split('\t') for line in lines[1:]]
    for row in rows:
        assert len(row) == 4, f'a row needs 4 tab-separated columns: {row!r}'
    return rows


def _python_test(node_test: str) -> str:
    """The compat file for a Node test: dashes to underscores, lower case, no extension."""
    match = NODE_TEST.match(node_test)
    assert match, f'not a test file of test/parallel, sequential or internet: {node_test}'
    folder, name = match.groups()
    stem = name.replace('-', '_').lower()
    return f'compat/internet/{stem}.py' if folder == 'internet' else f'compat/{stem}.py'


@cache
def _collected() -> tuple[str, ...]:
    """The test ids pytest collects in compat/ (a separate process, as a fresh run would)."""
    proc = subprocess.run(
        [sys.executable, '-m', 'pytest', '--collect-only', '-q', '-p', 'no:cacheprovider',
         'compat'], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, f'collecting compat/ failed:\n{proc.stdout}\n{proc.stderr}'
    return tuple(line for line in proc.stdout.splitlines() if '::' in line)


def _skip_marks(path: Path) -> list[str]:
    """pytest's skip/skipif/xfail marks and skip calls in a file, as source text."""
    tree = ast.parse(path.read_text(encoding='utf-8'))
    found = []
    for node in ast.walk(tree):
        text = ast.unparse(node) if isinstance(node, (ast.Attribute, ast.Call)) else ''
        if re.match(r'(pytest\.)?mark\.(skip|skipif|xfail)\b', text):
            found.append(text)
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id == 'pytestmark' for t in targets):
                found.append(ast.unparse(node))
        if isinstance(node, ast.Call) and 'skip' in ast.unparse(node.func) \
                and 'pytest' in ast.unparse(node.func):
            found.append(ast.unparse(node))
    return found


def test_every_node_test_has_one_row() -> None:
    rows = _rows()
    node_tests = [row[0] for row in rows]
    duplicates = [name for name, n in Counter(node_tests).items() if n > 1]
    assert not duplicates, f'listed more than once: {duplicates}'
    for name in node_tests:
        assert NODE_TEST.match(name), f'not a Node test path: {name!r}'
    dgram = [name for name in node_tests if name.split('/')[-1].startswith('test-dgram-')]
    assert dict(Counter(name.split('/')[1] for name in dgram)) == DGRAM_TEST_COUNTS
    assert len(dgram) == sum(DGRAM_TEST_COUNTS.values()) == 87
    others = set(node_tests) - set(dgram)
    assert others == CLUSTER_DGRAM_TESTS | OTHER_NODE_TESTS, (
        f'unexpected: {sorted(others - CLUSTER_DGRAM_TESTS - OTHER_NODE_TESTS)}, '
        f'missing: {sorted(CLUSTER_DGRAM_TESTS | OTHER_NODE_TESTS - others)}')
    assert len(rows) == 87 + 6 + 6


def test_rows_are_sorted() -> None:
    node_tests = [row[0] for row in _rows()]
    assert node_tests == sorted(node_tests)


def test_python_test_names_follow_the_node_names() -> None:
    for node_test, python_test, _, _ in _rows():
        assert python_test == _python_test(node_test), (node_test, python_test)


def test_statuses_and_reasons() -> None:
    for node_test, python_test, status, reason in _rows():
        assert status in STATUSES, f'{node_test}: unknown status {status!r}'
        if status in {'skip', 'pending'}:
            assert reason.strip(), f'{node_test}: a {status} row needs a reason'
        if status == 'pass':
            assert (ROOT / python_test).is_file(), f'{node_test}: {python_test} is missing'


def test_each_file_names_its_node_test() -> None:
    for node_test, python_test, _, _ in _rows():
        path = ROOT / python_test
        if path.is_file():
            first = path.read_text(encoding='utf-8').splitlines()[0]
            assert first == f'# Node: {node_test}', f'{python_test}: first line {first!r}'


def test_pass_rows_are_collected_and_not_skipped() -> None:
    collected = _collected()
    for node_test, python_test, status, _ in _rows():
        if status != 'pass':
            continue
        function = Path(python_test).stem
        ids = [item for item in collected if item.split('::')[0] == python_test]
        assert ids == [f'{python_test}::{function}'], (
            f'{node_test}: pytest collects {ids} from {python_test}, '
            f'expected the one test {function}')
        marks = _skip_marks(ROOT / python_test)
        assert not marks, f'{node_test} is marked pass but {python_test} skips: {marks}'


def test_every_compat_file_has_a_row() -> None:
    listed = {row[1] for row in _rows()}
    files = sorted(COMPAT.glob('test_*.py')) + sorted(COMPAT.glob('internet/test_*.py'))
    unlisted = [str(path.relative_to(ROOT)) for path in files
                if str(path.relative_to(ROOT)) not in listed | HARNESS_TESTS]
    assert not unlisted, f'compat files without a MANIFEST row: {unlisted}'


def test_the_skip_checker_sees_marks(tmp_path: Path) -> None:
    marked = tmp_path / 'test_x.py'
    marked.write_text('import pytest\n\n@pytest.mark.skipif(True, reason="r")\n'
                      'def test_x():\n    pass\n')
    assert _skip_marks(marked)
    called = tmp_path / 'test_y.py'
    called.write_text('import pytest\n\ndef test_y():\n    pytest.skip("r")\n')
    assert _skip_marks(called)
    module = tmp_path / 'test_z.py'
    module.write_text('import pytest\npytestmark = pytest.mark.skip\n')
    assert _skip_marks(module)
    clean = tmp_path / 'test_w.py'
    clean.write_text('from compat import common\n\ntest_w = common.node_test(__file__)\n')
    assert not _skip_marks(clean)
