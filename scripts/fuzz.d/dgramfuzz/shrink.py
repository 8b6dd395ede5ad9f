"""Minimising a case that mismatches, keeping its difference class.

Each round builds the one-step simplifications of the case (drop a socket,
drop a step, drop or simplify an argument), runs them all under both runners,
and keeps the smallest that still shows the same class of difference.
The closing steps (marked ``final``) stay, so the programs still end.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Callable, Iterator
from typing import Any

from .compare import compare
from .generate import Case
from .values import U, Value

RunPair = Callable[[list[Case]], tuple[dict[int, Any], dict[int, Any]]]


def size(case: Case) -> int:
    def weight(v: Value) -> int:
        if v['t'] == 'a':
            return 1 + sum(weight(x) for x in v['items'])
        if v['t'] == 'o':
            return 1 + sum(weight(x) for _, x in v['items'])
        return 0 if v['t'] == 'u' else 1
    return sum(3 + sum(weight(v) for v in st.get('args', [])) for st in case['steps'])


def _simpler(v: Value) -> Iterator[Value]:
    """Values one step simpler than ``v``."""
    if v['t'] == 'a':
        for i in range(len(v['items'])):
            yield {**v, 'items': v['items'][:i] + v['items'][i + 1:]}
        for i, item in enumerate(v['items']):
            for simple in _simpler(item):
                yield {**v, 'items': v['items'][:i] + [simple] + v['items'][i + 1:]}
    elif v['t'] == 'o':
        for i in range(len(v['items'])):
            yield {**v, 'items': v['items'][:i] + v['items'][i + 1:]}
        for i, (key, item) in enumerate(v['items']):
            for simple in _simpler(item):
                yield {**v, 'items': v['items'][:i] + [[key, simple]] + v['items'][i + 1:]}
    elif v.get('f') or v.get('tuple') or v.get('off'):
        yield {k: x for k, x in v.items() if k not in ('f', 'tuple', 'off')}


def candidates(case: Case) -> Iterator[Case]:
    steps = case['steps']

    def with_steps(new: list[dict[str, Any]]) -> Case:
        return {**case, 'steps': new}
    sockets = [st['var'] for st in steps if st['op'] == 'create']
    objects = [st['var'] for st in steps if st['op'] == 'new']
    for name in sockets + objects:
        yield with_steps([st for st in steps
                          if st.get('var') != name and st.get('target') != name])
    for i in range(len(steps) - 1, -1, -1):
        if not steps[i].get('final'):
            yield with_steps(steps[:i] + steps[i + 1:])
    for i, st in enumerate(steps):
        args = st.get('args', [])
        if st.get('final') or not args:
            continue
        if st.get('kw'):
            yield with_steps(steps[:i] + [{**st, 'kw': False}] + steps[i + 1:])
        options: list[list[Value]] = [args[:-1]]
        options += [args[:j] + [U] + args[j + 1:] for j in range(len(args)) if args[j]['t'] != 'u']
        options += [args[:j] + [simple] + args[j + 1:]
                    for j in range(len(args)) for simple in _simpler(args[j])]
        for new_args in options:
            yield with_steps(steps[:i] + [{**st, 'args': new_args}] + steps[i + 1:])


def shrink(case: Case, key: str, run_pair: RunPair, rounds: int = 30,
           deadline: float | None = None) -> Case:
    """The smallest variant of ``case`` found that still mismatches with class ``key``.

    Each round runs every candidate in one batch (one process per side) and
    keeps the smallest that still shows ``key``; it stops at ``deadline``
    (``time.monotonic()``) if given.
    """
    best = copy.deepcopy(case)
    for _ in range(rounds):
        if deadline is not None and time.monotonic() > deadline:
            break
        batch = [{**c, 'id': n} for n, c in enumerate(candidates(best))]
        if not batch:
            break
        node, python = run_pair(batch)
        kept = [c for c in batch
                if size(c) < size(best)
                and (m := compare(c, node.get(c['id'], []), python.get(c['id'], []))) is not None
                and m.key == key]
        if not kept:
            break
        smallest: Case = min(kept, key=size)
        best = {**smallest, 'id': case['id']}
    return best
