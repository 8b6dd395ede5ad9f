"""The figures of scripts/bench: rows, paired ratios, goals, the printed tables.

The raw results are ``groups[group][contender]``: one dict per round (``None``
or a dict with ``'error'`` when that run failed).  A row compares one metric of
a subject contender with two references of the same group.  Its ratio is the
median over rounds of the ratio within each round (the contenders of a round
ran back to back, so machine load drifts cancel), and a goal is met when that
median ratio is at most the goal.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from typing import Any

NODE_PYUV = ('node', 'pyuv')
EMBED = ('dgram.run', 'asyncio')


@dataclass(frozen=True)
class Row:
    id: str
    title: str
    unit: str
    group: str
    metric: str
    subject: str
    refs: tuple[str | None, str | None]          # contenders behind the two ref columns
    goals: dict[str, float] = field(default_factory=dict)   # ref label -> max ratio
    labels: tuple[str, str] = NODE_PYUV
    extras: tuple[str, ...] = ()                 # more contenders shown in a footnote
    note: str = ''


def _send(size: int, cb: bool) -> Row:
    g = f'send{size}'
    return Row(f'{g}_cb' if cb else g, f'send {size} B, {"with" if cb else "no"} callback',
               'µs/datagram', g, 'us_per_dgram', 'dgram_uv_cb' if cb else 'dgram_uv',
               ('node_cb' if cb else 'node', 'pyuv_try'), {'node': 1.0, 'pyuv': 1.5},
               extras=('pyuv_send_cb',) if cb else ())


def _send_floor(size: int, cb: bool) -> Row:
    g = f'send{size}'
    return Row(f'{g}_floor_cb' if cb else f'{g}_floor',
               f'  floor {size} B: bare Python{", callback" if cb else ""}', 'µs/datagram', g,
               'us_per_dgram', 'floor_cb' if cb else 'floor', ('node_cb' if cb else 'node',
                                                               'pyuv_try'))


def _loop(prim: str, pattern: str) -> Row:
    return Row(f'{prim}_{pattern}', f'{prim}, {pattern}', 'ns/callback', 'loop',
               f'{prim}_{pattern}_ns', 'dgram_uv', ('node', None), {'node': 1.5})


ROWS = [
    Row('receive', 'receive 64 B (saturated)', 'µs/datagram', 'receive', 'us_per_dgram',
        'dgram_uv', ('node', 'pyuv'), {'node': 0.85}, note='stretch: /node <= 0.70'),
    Row('receive_udp_wrap', 'receive, udp_wrap layer only', 'µs/datagram', 'receive',
        'us_per_dgram', 'udp_wrap', ('node', 'pyuv')),
    _send(64, True), _send(64, False), _send(1400, True), _send(1400, False),
    _send_floor(64, True), _send_floor(64, False), _send_floor(1400, True),
    _send_floor(1400, False),
    Row('echo_cpu', 'echo 64 B, CPU per round trip (both sides)', 'µs', 'echo', 'cpu_us_per_rt',
        'dgram_uv', ('node', 'pyuv'), {'node': 1.0}),
    Row('echo_rtt', 'echo 64 B, median round-trip time', 'µs', 'echo', 'rtt_median_us',
        'dgram_uv', ('node', 'pyuv'), {'node': 1.0}),
    Row('echo_p99', 'echo 64 B, p99 round-trip time', 'µs', 'echo', 'rtt_p99_us',
        'dgram_uv', ('node', 'pyuv')),
    Row('churn', 'create + bind(0) + close', 'µs/socket', 'churn', 'us_per_socket',
        'dgram_uv', ('node', 'pyuv'), {'node': 1.0}),
    Row('churn_floor', '  floor: bare Python', 'µs/socket', 'churn',
        'us_per_socket', 'floor', ('node', 'pyuv')),
    Row('memory', 'memory per bound socket (RSS)', 'KB/socket', 'memory', 'kb_per_socket',
        'dgram_uv', ('node', 'pyuv')),
    *(_loop(p, q) for p in ('next_tick', 'set_immediate', 'set_timeout')
      for q in ('queued', 'chained')),
]

EMBED_ROWS = [
    Row('aio_asyncio', 'receive in aio.run, stdlib asyncio', 'µs/datagram', 'receive',
        'us_per_dgram', 'aio_asyncio', ('dgram_uv', 'asyncio'),
        {'dgram.run': 1.15, 'asyncio': 0.2}, labels=EMBED),
    Row('aio_uvloop', 'receive in aio.run, uvloop', 'µs/datagram', 'receive',
        'us_per_dgram', 'aio_uvloop', ('dgram_uv', 'asyncio'),
        {'dgram.run': 1.15, 'asyncio': 0.2}, labels=EMBED),
    Row('asyncio_uvloop', "asyncio's endpoint on uvloop (reference)", 'µs/datagram', 'receive',
        'us_per_dgram', 'asyncio_uvloop', ('dgram_uv', 'asyncio'), labels=EMBED),
]


def ok(run: Any, metric: str) -> bool:
    return isinstance(run, dict) and isinstance(run.get(metric), (int, float))


def median_of(runs: list[Any], metric: str) -> float | None:
    vals = [r[metric] for r in runs if ok(r, metric)]
    return statistics.median(vals) if vals else None


def paired_ratio(a: list[Any], b: list[Any], metric: str) -> float | None:
    """Median over rounds of a/b within the same round."""
    ratios = [x[metric] / y[metric] for x, y in zip(a, b, strict=False)
              if ok(x, metric) and ok(y, metric) and y[metric] > 0]
    return statistics.median(ratios) if ratios else None


def compute(groups: dict[str, dict[str, list[Any]]],
            skipped: dict[str, str]) -> list[dict[str, Any]]:
    """Every row whose group and subject were measured (or skipped, with why)."""
    out: list[dict[str, Any]] = []
    for row in ROWS + EMBED_ROWS:
        runs = groups.get(row.group)
        if runs is None:
            continue
        if row.subject not in runs:
            if row.subject in skipped:
                out.append({'id': row.id, 'title': row.title, 'unit': row.unit,
                            'table': 'embed' if row in EMBED_ROWS else 'main',
                            'skipped': skipped[row.subject]})
            continue
        if not any(ref in runs for ref in row.refs if ref):
            continue    # e.g. the receive row of an --only aio run: nothing to compare
        subj = runs[row.subject]
        d: dict[str, Any] = {
            'id': row.id, 'title': row.title, 'unit': row.unit, 'metric': row.metric,
            'table': 'embed' if row in EMBED_ROWS else 'main', 'subject': row.subject,
            'value': median_of(subj, row.metric), 'labels': list(row.labels),
            'refs': {}, 'ratios': {}, 'goals': [], 'note': row.note,
            'rounds': sum(ok(r, row.metric) for r in subj),
            'extras': {x: median_of(runs[x], row.metric) for x in row.extras if x in runs}}
        for label, ref in zip(row.labels, row.refs, strict=True):
            if ref is None or ref not in runs:
                continue
            d['refs'][label] = median_of(runs[ref], row.metric)
            d['ratios'][label] = paired_ratio(subj, runs[ref], row.metric)
        for label, limit in row.goals.items():
            ratio = d['ratios'].get(label)
            d['goals'].append({'ref': label, 'max': limit, 'ratio': ratio,
                               'met': None if ratio is None else ratio <= limit})
        out.append(d)
    return out


def fmt(x: float | None) -> str:
    if x is None:
        return '-'
    if abs(x) >= 1000:
        return f'{x:,.0f}'
    if abs(x) >= 100:
        return f'{x:.0f}'
    if abs(x) >= 10:
        return f'{x:.1f}'
    return f'{x:.2f}'


def verdicts(d: dict[str, Any]) -> str:
    parts = []
    for g in d['goals']:
        state = '?' if g['met'] is None else ('met' if g['met'] else 'MISSED')
        parts.append(f'/{g["ref"]} <= {g["max"]:.2f} {state}')
    if d.get('note'):
        parts.append(f'({d["note"]})')
    return '; '.join(parts)


def table(rows: list[dict[str, Any]], which: str) -> list[str]:
    rows = [r for r in rows if r['table'] == which]
    if not rows:
        return []
    a, b = NODE_PYUV if which == 'main' else EMBED
    first = 'measurement' if which == 'main' else 'receive inside asyncio'
    subject = 'dgram_uv' if which == 'main' else 'value'
    lines = [f'{first:<44}{"unit":<13}{subject:>9}{a:>10}{b:>9}{"/" + a:>11}{"/" + b:>9}  goals']
    for r in rows:
        if 'skipped' in r:
            lines.append(f'{r["title"]:<44}{r["unit"]:<13}  n/a: {r["skipped"]}')
            continue
        refs, ratios = r['refs'], r['ratios']
        lines.append(f'{r["title"]:<44}{r["unit"]:<13}{fmt(r["value"]):>9}'
                     f'{fmt(refs.get(a)):>10}{fmt(refs.get(b)):>9}'
                     f'{fmt(ratios.get(a)):>11}{fmt(ratios.get(b)):>9}  {verdicts(r)}')
    return lines


EXTRA_NAMES = {'pyuv_send_cb': 'raw pyuv UDP.send(addr, buf, callback)'}


def footnotes(rows: list[dict[str, Any]], groups: dict[str, Any]) -> list[str]:
    lines = []
    for r in rows:
        for name, val in r.get('extras', {}).items():
            lines.append(f'{r["title"]}: {EXTRA_NAMES.get(name, name)}: '
                         f'{fmt(val)} {r["unit"]}')
    return lines


def details(groups: dict[str, dict[str, list[Any]]]) -> list[str]:
    """Per group and contender: rounds, median/min/max of the main metric, loss."""
    metric_of: dict[str, str] = {}
    for r in ROWS + EMBED_ROWS:
        metric_of.setdefault(r.group, r.metric)
    lines = [f'{"group":<10}{"contender":<16}{"ok":>4}{"median":>10}{"min":>10}{"max":>10}'
             f'{"user":>8}{"sys":>8}{"loss":>7}  errors']
    for group, runs in groups.items():
        metric = metric_of.get(group, '')
        for name, rs in runs.items():
            vals = [r[metric] for r in rs if ok(r, metric)]
            errs = sorted({str(r.get('error')) for r in rs if isinstance(r, dict) and 'error' in r})
            user = median_of(rs, metric.replace('us_per', 'user_us_per'))
            sys_ = median_of(rs, metric.replace('us_per', 'sys_us_per'))
            loss = median_of(rs, 'loss')
            lines.append(
                f'{group:<10}{name:<16}{len(vals):>4}'
                f'{fmt(statistics.median(vals) if vals else None):>10}'
                f'{fmt(min(vals) if vals else None):>10}{fmt(max(vals) if vals else None):>10}'
                f'{fmt(user) if "us_per" in metric else "":>8}'
                f'{fmt(sys_) if "us_per" in metric else "":>8}'
                f'{(f"{loss:.0%}" if loss is not None else ""):>7}  {"; ".join(errs)}')
    return lines


def render(data: dict[str, Any]) -> str:
    rows = data['rows']
    out = table(rows, 'main')
    embed = table(rows, 'embed')
    if embed:
        out += [''] + embed
    notes = footnotes(rows, data['groups'])
    if notes:
        out += [''] + notes
    return '\n'.join(out)
