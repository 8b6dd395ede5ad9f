"""Profile dgram_uv's send or receive loop with py-spy and summarise the frames.

Usage: .venv/bin/python scripts/bench_profile.py {send|receive} [options]
       .venv/bin/python scripts/bench_profile.py --summary RAW_FILE

* ``send``: bench_send.py ``dgram_uv_cb`` (64-byte datagrams to 127.0.0.1 with a
  callback, bursts of 100 per loop iteration) into the draining sink;
* ``receive``: bench_receiver.py ``dgram_uv`` flooded by the GSO blaster.

py-spy (``pip install py-spy`` into .venv; not a project dependency) attaches
to the measured process half a second after its start and samples it at
``--rate`` Hz for ``--seconds`` without pausing it (``--nonblocking``); the
collapsed stacks (``-f raw``) go to .cache/bench/profile-*.txt.  The summary
gives, per function (file:function, lines merged), its self time (leaf samples)
and total time (samples with it anywhere on the stack) as shares of all
samples, then self time by file and the hottest leaf lines.  Time inside a C
call (a pyuv method: libuv and the system call) is the self time of the Python
line that made it.  ``--native`` samples C frames (libuv, pyuv, CPython) too;
py-spy can only do that by pausing the process at each sample, which slows it
and skews the shares somewhat.  Pinning as in scripts/bench: the measured
process on the last CPU, the helper on the others.
"""

from __future__ import annotations

import argparse
import collections
import re
import subprocess
import sys
import time
from pathlib import Path

import bench_jobs as jobs

FRAME = re.compile(r'^(?P<func>.*?) \((?P<file>[^()]*?)(?::(?P<line>\d+))?\)$')


def shorten(path: str) -> str:
    for marker in ('/dgram_uv/', '/scripts/', '/site-packages/', '/lib/python3'):
        i = path.rfind(marker)
        if i >= 0:
            return path[i + 1:]
    return path


def summarise(raw: Path, top: int) -> str:
    self_t: collections.Counter[str] = collections.Counter()
    total_t: collections.Counter[str] = collections.Counter()
    lines_t: collections.Counter[str] = collections.Counter()
    files_t: collections.Counter[str] = collections.Counter()
    n = 0
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(' ')
        if not stack or not count.isdigit():
            continue
        c = int(count)
        n += c
        names = []
        for frame in stack.split(';'):
            m = FRAME.match(frame)
            if not m:
                names.append((frame, frame))
                continue
            where = shorten(m['file'])
            names.append((f'{where}:{m["func"]}', f'{where}:{m["line"] or "?"} {m["func"]}'))
        if not names or names[0][0].startswith('process '):
            names = names[1:] if names else names
        if not names:
            continue
        self_t[names[-1][0]] += c
        files_t[names[-1][0].rpartition(':')[0] or names[-1][0]] += c
        lines_t[names[-1][1]] += c
        for fn in {f for f, _ in names}:
            total_t[fn] += c
    if not n:
        return f'{raw}: no samples'
    out = [f'{raw}: {n} samples', f'{"self %":>7}{"total %":>9}  function']
    for fn, c in self_t.most_common(top):
        out.append(f'{100 * c / n:>7.1f}{100 * total_t[fn] / n:>9.1f}  {fn}')
    out.append(f'\n{"self %":>7}  by file')
    for fn, c in files_t.most_common(top):
        out.append(f'{100 * c / n:>7.1f}  {fn}')
    out.append(f'\n{"self %":>7}  hottest leaf lines')
    for ln, c in lines_t.most_common(top):
        out.append(f'{100 * c / n:>7.1f}  {ln}')
    return '\n'.join(out)


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog='bench_profile.py', description=__doc__.split('\n\n')[0])
    p.add_argument('what', choices=('send', 'receive'), nargs='?')
    p.add_argument('--seconds', type=float, default=10.0, help='sampling time (10)')
    p.add_argument('--rate', type=int, default=997, help='samples per second (997)')
    p.add_argument('--native', action='store_true', help='include C frames')
    p.add_argument('--top', type=int, default=15)
    p.add_argument('--summary', type=Path, help='only summarise this raw file')
    opts = p.parse_args(argv)
    if opts.summary:
        print(summarise(opts.summary, opts.top))
        return 0
    if opts.what is None:
        p.error('send or receive?')
    pyspy = Path(jobs.PYTHON).with_name('py-spy')
    if not pyspy.exists():
        print(f'py-spy missing: {jobs.PYTHON} -m pip install py-spy', file=sys.stderr)
        return 2
    out = jobs.ROOT / '.cache' / 'bench' / (
        f'profile-{opts.what}{"-native" if opts.native else ""}.txt')
    out.parent.mkdir(parents=True, exist_ok=True)
    mine, theirs = jobs.LAST_CPU, jobs.OTHER_CPUS
    helper = target = spy = None
    try:
        if opts.what == 'send':
            helper = jobs.start(jobs.py('bench_sink.py', opts.seconds + 60), theirs)
            port = jobs.read_port(helper, 'sink')
            # Enough datagrams to outlast the sampling (about 10 µs each).
            target = jobs.start(jobs.py('bench_send.py', 'dgram_uv_cb', port, 64,
                                        int(opts.seconds * 200_000)), mine)
        else:
            target = jobs.start(jobs.py('bench_receiver.py', 'dgram_uv', 10 ** 9,
                                        opts.seconds + 30), mine)
            port = jobs.read_port(target, 'receiver')
            helper = jobs.start(jobs.py('bench_sender.py', port, 10 ** 10, opts.seconds + 30),
                                theirs)
        time.sleep(0.5)    # past start-up
        spy = subprocess.run(
            [str(pyspy), 'record', *([] if opts.native else ['--nonblocking']),
             '-r', str(opts.rate), '-f', 'raw',
             '-o', str(out), '-d', str(max(1, round(opts.seconds))), '-p', str(target.pid),
             *(['--native'] if opts.native else [])],
            stdout=subprocess.DEVNULL, timeout=opts.seconds + 60)
    finally:
        for x in (target, helper):
            if x is not None and x.poll() is None:
                x.kill()
            if x is not None:
                x.wait()
    if spy is None or spy.returncode != 0 or not out.exists():
        print('py-spy failed', file=sys.stderr)
        return 1
    print(summarise(out, opts.top))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
