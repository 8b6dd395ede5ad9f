"""The chart of scripts/bench (``--chart PNG``), drawn from its JSON with matplotlib.

One horizontal pair of bars per measurement: dgram_uv / Node and dgram_uv / raw
pyuv (for the asyncio rows: / ``dgram.run()`` and / asyncio's own endpoint), on
a log scale, with the line at 1.0 (as fast as the reference) and each goal as a
black tick on its bar.  A bar is green when its goal is met, red when missed,
grey when it has no goal.  Shorter is better.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

GREEN, RED, GREY = '#2e9d4a', '#d1493f', '#9aa3ad'


def _color(row: dict[str, Any], label: str) -> tuple[str, float | None]:
    for g in row.get('goals', []):
        if g['ref'] == label:
            return (GREY if g['met'] is None else GREEN if g['met'] else RED), g['max']
    return GREY, None


def _panel(ax: Any, rows: list[dict[str, Any]], labels: tuple[str, str],
           names: tuple[str, str]) -> None:
    import matplotlib.ticker as mticker

    height = 0.38
    ys, ticks = [], []
    lo, hi = 0.5, 2.0
    for i, row in enumerate(rows):
        y = len(rows) - 1 - i
        ys.append(y)
        ticks.append(f'{row["title"]}  ({row["unit"]})')
        if 'skipped' in row:
            ax.text(1.0, y, f'  n/a: {row["skipped"]}', va='center', fontsize=8, color='#555')
            continue
        for k, (label, name) in enumerate(zip(labels, names, strict=True)):
            ratio = row['ratios'].get(label)
            if ratio is None:
                continue
            color, goal = _color(row, label)
            yy = y + (height / 2 if k == 0 else -height / 2)
            ax.barh(yy, ratio, height=height * 0.95, left=0, color=color,
                    alpha=1.0 if k == 0 else 0.55, hatch=None if k == 0 else '//',
                    edgecolor='white', linewidth=0.5)
            ax.text(max(ratio, goal or 0) * 1.03, yy, f'{ratio:.2f} {name}', va='center',
                    fontsize=7,
                    bbox={'facecolor': 'white', 'edgecolor': 'none', 'pad': 0.3, 'alpha': 0.8})
            if goal is not None:
                ax.plot([goal, goal], [yy - height / 2, yy + height / 2], color='black', lw=1.6)
            lo, hi = min(lo, ratio), max(hi, ratio, goal or 0)
    ax.axvline(1.0, color='black', lw=1, ls='--')
    ax.set_xscale('log')
    ax.set_xlim(lo / 1.5, hi * 2.2)
    ax.xaxis.set_major_formatter(mticker.FuncFormatter(lambda v, _: f'{v:g}'))
    ax.xaxis.set_minor_formatter(mticker.NullFormatter())
    ax.set_xticks([t for t in (0.1, 0.2, 0.5, 1, 1.5, 2, 5, 10, 20) if lo / 1.5 <= t <= hi * 2.2])
    ax.set_yticks(ys)
    ax.set_yticklabels(ticks, fontsize=8)
    ax.set_ylim(-0.7, len(rows) - 0.3)
    ax.grid(axis='x', color='#ddd', lw=0.5)
    ax.set_axisbelow(True)


def draw(data: dict[str, Any], path: Path) -> None:
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    main = [r for r in data['rows'] if r['table'] == 'main']
    embed = [r for r in data['rows'] if r['table'] == 'embed']
    panels = []
    if main:
        panels.append((main, ('node', 'pyuv'), ('/ Node', '/ pyuv'),
                       'dgram_uv / Node v23.5.0 (solid) and dgram_uv / raw pyuv (hatched)'))
    if embed:
        panels.append((embed, ('dgram.run', 'asyncio'), ('/ dgram.run', '/ asyncio'),
                       'receive inside asyncio: / dgram.run() (solid), '
                       "/ asyncio's create_datagram_endpoint (hatched)"))
    if not panels:
        raise SystemExit('bench_chart: no rows to draw')
    heights = [max(len(p[0]), 1) for p in panels]
    fig, axes = plt.subplots(len(panels), 1, figsize=(11, 0.42 * sum(heights) + 1.8),
                             gridspec_kw={'height_ratios': heights}, squeeze=False)
    for ax, (rows, labels, names, title) in zip(axes[:, 0], panels, strict=True):
        _panel(ax, rows, labels, names)
        ax.set_title(title, fontsize=9, loc='left')
    axes[-1, 0].set_xlabel('ratio, log scale: CPU per operation (round-trip rows: time; '
                           'memory: RSS); < 1 beats the reference; black tick = goal',
                           fontsize=8)
    m = data.get('meta', {})
    fig.suptitle(f'scripts/bench {m.get("date", "")[:10]}, commit {m.get("commit", "?")}, '
                 f'{m.get("cpus", "?")} CPUs, median of {m.get("options", {}).get("rounds", "?")}'
                 ' paired rounds', fontsize=10, x=0.01, ha='left')
    fig.legend(handles=[Patch(color=GREEN, label='goal met'), Patch(color=RED, label='goal missed'),
                        Patch(color=GREY, label='no goal')],
               loc='upper right', fontsize=8, ncol=3, frameon=False)
    fig.tight_layout(rect=(0, 0, 1, 0.97))
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
