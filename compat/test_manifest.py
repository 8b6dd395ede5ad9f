"""compat/MANIFEST.tsv lists every Node v23.5.0 dgram test, with a consistent status."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

COMPAT = Path(__file__).resolve().parent
ROOT = COMPAT.parent
MANIFEST = COMPAT / 'MANIFEST.tsv'
HEADER = ['node_test', 'python_test', 'status', 'reason']
STATUSES = {'pass', 'skip', 'pending'}
# Node v23.5.0 has 87 files named test-dgram-* in these folders.
NODE_TEST_COUNTS = {'parallel': 77, 'sequential': 3, 'internet': 7}
NODE_TEST = re.compile(r'^test/(parallel|sequential|internet)/(test-dgram-[A-Za-z0-9-]+)\.m?js$')


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
    assert match, f'not a test-dgram-* file of test/parallel, sequential or internet: {node_test}'
    folder, name = match.groups()
    stem = name.replace('-', '_').lower()
    return f'compat/internet/{stem}.py' if folder == 'internet' else f'compat/{stem}.py'


def test_every_node_dgram_test_has_one_row() -> None:
    rows = _rows()
    node_tests = [row[0] for row in rows]
    duplicates = [name for name, n in Counter(node_tests).items() if n > 1]
    assert not duplicates, f'listed more than once: {duplicates}'
    for name in node_tests:
        assert NODE_TEST.match(name), f'not a Node dgram test path: {name!r}'
    folders = Counter(name.split('/')[1] for name in node_tests)
    assert dict(folders) == NODE_TEST_COUNTS
    assert len(rows) == sum(NODE_TEST_COUNTS.values()) == 87


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


def test_every_compat_file_has_a_row() -> None:
    listed = {row[1] for row in _rows()}
    files = sorted(COMPAT.glob('test_dgram_*.py')) + sorted(COMPAT.glob('internet/test_dgram_*.py'))
    unlisted = [str(path.relative_to(ROOT)) for path in files
                if str(path.relative_to(ROOT)) not in listed]
    assert not unlisted, f'compat files without a MANIFEST row: {unlisted}'
