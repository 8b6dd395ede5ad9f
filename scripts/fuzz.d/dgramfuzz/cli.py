"""``scripts/fuzz``: generate, run under Node and dgram_uv, compare, report.

See docs/fuzz.md.  Exit status: 0 when every case agrees, 1 on mismatches,
2 when the fuzzer itself could not run.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from .compare import Mismatch, compare, diff_text, record_text
from .corpus import corpus_cases, describe
from .generate import Case, generate
from .render import js_program, py_program
from .run import NODE, PYTHON, SafetyStop, isolation_prefix, run_both
from .shrink import shrink, size


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog='scripts/fuzz',
        description="Differential fuzzer: random calls on dgram's API under Node v23.5.0 "
                    'and under dgram_uv, compared.')
    p.add_argument('--cases', type=int, default=1000, help='how many cases (default 1000)')
    p.add_argument('--seed', type=int, default=1, help='the seed (default 1)')
    p.add_argument('--start', type=int, default=0, help='index of the first case (default 0)')
    p.add_argument('--case', type=int, metavar='K',
                   help='run only case K of the seed and show both records and programs')
    p.add_argument('--corpus', action='store_true',
                   help='run the corpus (minimal cases of differences found before) instead')
    p.add_argument('--report', type=Path, metavar='FILE',
                   help='write the full report (every class, with programs) to FILE')
    p.add_argument('--json', type=Path, metavar='FILE',
                   help='write every mismatch (case, records) as JSON to FILE')
    p.add_argument('--batch', type=int, default=400, help='cases per runner process')
    p.add_argument('--settle-ms', type=int, default=1500,
                   help='how long a settle step waits for pending callbacks (default 1500)')
    p.add_argument('--no-shrink', action='store_true',
                   help='report each class with its smallest case as found, unminimised')
    p.add_argument('--shrink-seconds', type=float, default=600, metavar='S',
                   help='time for minimising the classes\' cases, most frequent class '
                        'first (default 600)')
    p.add_argument('--no-isolation', action='store_true',
                   help='run without network namespaces (skips membership calls and '
                        'strings that would make DNS queries)')
    p.add_argument('--quiet', action='store_true', help='print only the summary line')
    return p.parse_args(argv)


class Fuzz:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.isolation = None if args.no_isolation else isolation_prefix()

    def run_pair(self, cases: list[Case]) -> tuple[dict[int, Any], dict[int, Any]]:
        node: dict[int, Any] = {}
        python: dict[int, Any] = {}
        for start in range(0, len(cases), self.args.batch):
            n, p = run_both(cases[start:start + self.args.batch], self.args.settle_ms,
                            self.isolation)
            node.update(n)
            python.update(p)
        return node, python

    def mismatches(self, cases: list[Case]) -> tuple[list[Mismatch], list[Case]]:
        """Confirmed mismatches, and the cases on which Node disagreed with itself."""
        node, python = self.run_pair(cases)
        first = [m for c in cases if (m := compare(c, node[c['id']], python[c['id']]))]
        if not first:
            return [], []
        # Run each mismatching case again: a case on which Node itself is not
        # reproducible says nothing about dgram_uv.
        again_node, again_python = self.run_pair([m.case for m in first])
        confirmed, unstable = [], []
        for m in first:
            cid = m.case['id']
            if compare(m.case, m.node, again_node[cid]) is not None:
                unstable.append(m.case)
            else:
                confirmed.append(m)
        return confirmed, unstable


def _group(mismatches: list[Mismatch]) -> dict[str, list[Mismatch]]:
    groups: dict[str, list[Mismatch]] = defaultdict(list)
    for m in mismatches:
        groups[m.key].append(m)
    return dict(sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])))


def _class_report(key: str, ms: list[Mismatch], example: Mismatch, shrunk: bool) -> str:
    ids = ', '.join(str(m.case['id']) for m in ms[:30]) + (' ...' if len(ms) > 30 else '')
    case = example.case
    return '\n'.join([
        f'### {key}', '',
        f"{len(ms)} case(s) of seed {case['seed']}: {ids}", '',
        f"{'Minimised' if shrunk else 'Smallest'} case ({case['seed']}:{case['id']}); "
        'records (`>` marks the first difference):', '', '```', diff_text(example), '```', '',
        'JS (Node):', '', '```js', js_program(case).rstrip(), '```', '',
        'Python (dgram_uv):', '', '```python', py_program(case).rstrip(), '```', ''])


def show_case(fuzz: Fuzz, seed: int, index: int) -> int:
    case = generate(seed, 1, index)[0]
    node, python = fuzz.run_pair([case])
    for label, records in (('node', node[index]), ('dgram_uv', python[index])):
        print(f'--- {label}')
        for r in records:
            print(record_text(case, r))
    m = compare(case, node[index], python[index])
    print('--- ' + ('same' if m is None else f'MISMATCH: {m.key}'))
    print('--- JS\n' + js_program(case) + '--- Python\n' + py_program(case), end='')
    return 0 if m is None else 1


def run_corpus(fuzz: Fuzz, args: argparse.Namespace) -> int:
    cases = corpus_cases()
    node, python = fuzz.run_pair(cases)
    sections, failing = [], 0
    for case in cases:
        m = compare(case, node[case['id']], python[case['id']])
        status = 'same' if m is None else f'DIFFERS  {m.key}'
        print(f"{case['name']:42s} {status}")
        if m is not None:
            failing += 1
            sections.append(_class_report(f"{case['name']}: {describe(case['name'])}", [m], m,
                                          True))
    summary = f'corpus: {len(cases)} cases, {failing} differ from Node'
    report = '\n'.join([f'# dgram fuzz corpus: {summary}', ''] + sections)
    if args.report:
        args.report.write_text(report)
    print(summary)
    return 1 if failing else 0


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    for path in (NODE, PYTHON):
        if not path.exists():
            print(f'fuzz: {path} is missing: run scripts/setup', file=sys.stderr)
            return 2
    fuzz = Fuzz(args)
    if fuzz.isolation is None and not args.no_isolation:
        print('fuzz: cannot create a network namespace (needs root or user namespaces, '
              'unshare and ip); pass --no-isolation to run on the host', file=sys.stderr)
        return 2
    if args.case is not None:
        return show_case(fuzz, args.seed, args.case)
    if args.corpus:
        return run_corpus(fuzz, args)
    started = time.monotonic()
    cases = generate(args.seed, args.cases, args.start)
    try:
        mismatches, unstable = fuzz.mismatches(cases)
        groups = _group(mismatches)
        sections = []
        deadline = time.monotonic() + args.shrink_seconds
        for key, ms in groups.items():
            example = min(ms, key=lambda m: size(m.case))
            shrunk = False
            if not args.no_shrink and time.monotonic() < deadline:
                small = shrink(example.case, key, fuzz.run_pair, deadline=deadline)
                node, python = fuzz.run_pair([small])
                again = compare(small, node[small['id']], python[small['id']])
                if again is not None and again.key == key:
                    example, shrunk = again, True
            sections.append(_class_report(key, ms, example, shrunk))
    except SafetyStop as exc:
        print(f'fuzz: stopped: {exc}', file=sys.stderr)
        return 2
    elapsed = time.monotonic() - started
    summary = (f'{len(cases)} cases, {len(mismatches)} mismatches'
               f' in {len(groups)} classes (seed {args.seed}, {elapsed:.0f} s)')
    if unstable:
        summary += f'; {len(unstable)} cases not reproducible on Node, not counted: ' + \
            ', '.join(str(c['id']) for c in unstable[:20])
    report = '\n'.join([f'# dgram fuzz report: {summary}', ''] + sections)
    if args.report:
        args.report.write_text(report)
    if args.json:
        args.json.write_text(json.dumps([{'key': m.key, 'case': m.case, 'node': m.node,
                                          'python': m.python} for m in mismatches], indent=1))
    if not args.quiet:
        for key, ms in groups.items():
            print(f'{len(ms):5d}  {key}')
        if groups and not args.report:
            print('\n' + '\n'.join(sections))
    print(summary)
    return 1 if mismatches else 0
