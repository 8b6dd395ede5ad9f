"""Cluster workers and their IPC channel under hostile or careless use, with
real worker processes (each test runs a primary script in a fresh process,
which forks its workers with ``cluster.fork()``).

* A worker's channel descriptor is close-on-exec, and ``NODE_UNIQUE_ID`` is
  gone from its environment once it is set up (as in Node): programs a worker
  runs neither inherit the channel nor believe they are workers.
* The primary survives any byte sequence from a worker: a protocol error
  (not JSON, nested too deep, a bad cluster message, a message over the size
  cap, a handle without its message) closes that worker's channel, with one
  line on stderr saying why, and the other workers go on.
* Reading the channel is linear in what arrives, and one message is capped at
  ``child_process.MAX_MESSAGE_BYTES`` (64 MiB).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

TIMEOUT = 120   # seconds: bounds a broken run only


def run_script(tmp_path: Path, text: str, *args: str) -> subprocess.CompletedProcess[str]:
    script = tmp_path / 'primary.py'
    script.write_text(text)
    env = {k: v for k, v in os.environ.items()
           if k not in ('NODE_UNIQUE_ID', 'NODE_CHANNEL_FD')}
    proc = subprocess.run([sys.executable, str(script), *args], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=TIMEOUT, check=False)
    assert proc.returncode == 0, f'exit {proc.returncode}\n{proc.stdout}\n{proc.stderr}'
    return proc


# --- 1 and 2: what a worker's own programs inherit -------------------------------------

INHERIT_SCRIPT = r'''
import json, os, subprocess, sys
import dgram_uv as dgram
from dgram_uv import cluster

if cluster.is_primary:
    worker = cluster.fork()

    def on_message(msg):
        print(json.dumps(msg))
        worker.disconnect()
    worker.on('message', on_message)
    dgram.run()
else:
    channel = os.readlink('/proc/self/fd/3')
    # A shell command the worker runs (close_fds=False: what exec keeps).
    shell = subprocess.run(['sh', '-c', 'for f in /proc/$$/fd/*; do readlink "$f"; done'],
                           close_fds=False, capture_output=True, text=True)
    # A Python program the worker runs, importing dgram_uv.
    child = subprocess.run([sys.executable, '-c', 'import dgram_uv; from dgram_uv import cluster; '
                            'print(cluster.is_primary, cluster.worker)'],
                           capture_output=True, text=True, timeout=60)
    cluster.worker.send({
        'channel': channel, 'shell_fds': shell.stdout.split(),
        'env': [name for name in ('NODE_UNIQUE_ID', 'NODE_CHANNEL_FD') if name in os.environ],
        'id': cluster.worker.id, 'child': [child.returncode, child.stdout, child.stderr[-300:]]})
    dgram.run()
'''


def inherit_report(tmp_path: Path) -> dict[str, Any]:
    proc = run_script(tmp_path, INHERIT_SCRIPT)
    report: dict[str, Any] = json.loads(proc.stdout.splitlines()[-1])
    return report


def test_worker_channel_is_close_on_exec(tmp_path: Path) -> None:
    report = inherit_report(tmp_path)
    assert report['channel'].startswith('socket:'), report
    assert report['channel'] not in report['shell_fds'], report


def test_worker_environment_loses_node_unique_id(tmp_path: Path) -> None:
    report = inherit_report(tmp_path)
    assert report['env'] == [], report
    assert report['id'] == 1, report
    assert report['child'] == [0, 'True None\n', ''], report
