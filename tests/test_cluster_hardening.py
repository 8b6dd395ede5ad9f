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
import re
import socket
import subprocess
import sys
import tracemalloc
from pathlib import Path
from typing import Any

import pyuv

from dgram_uv._binding import loop as uv_loop
from dgram_uv._internal import child_process

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



# --- 3: malformed messages --------------------------------------------------------------

# The worker script of the hostile tests: a worker that is not dgram_uv at all
# writes raw bytes on its channel (fd NODE_CHANNEL_FD), then reads until the
# primary closes it.  The primary and a well-behaved worker are dgram_uv.
SCRIPT = r'''
import array, json, os, socket, sys

CAP = 64 * 1024 * 1024


def cluster_message(**fields):
    return (json.dumps({'cmd': 'NODE_CLUSTER', 'seq': 0, **fields}) + '\n').encode()


def query(**fields):
    base = {'act': 'queryServer', 'address': '127.0.0.1', 'port': 0, 'addressType': 'udp4',
            'fd': -1, 'index': 0, 'flags': 0, 'data': None}
    return cluster_message(**{**base, **fields})


PAYLOADS = {
    'bad_address_type': lambda: query(addressType='udp5'),
    'missing_fields': lambda: cluster_message(act='queryServer'),
    'bad_port': lambda: query(port={'x': 1}),
    'bad_flags': lambda: query(flags='x'),
    'repeated_query': lambda: query(port=0, index=7) + query(port=0, index=7),
    'unhashable_ack': lambda: cluster_message(ack=[1]),
    'nested': lambda: b'[' * 100000 + b'\n',
    'garbage': lambda: b'\x00\xff\xfe garbage {\n',
    'nan': lambda: b'{"cmd":"NODE_CLUSTER","act":"online","x":NaN}\n',
    'not_utf8_then_garbage': lambda: b'"\xc3\x28"\n{\n',
    'too_long': lambda: b'"' + b'x' * CAP + b'\n',
}


def hostile():
    fd = int(os.environ['NODE_CHANNEL_FD'])
    os.set_blocking(fd, True)
    name = os.environ['PAYLOAD']
    try:
        if name.startswith('handle_'):
            # A descriptor passed with SCM_RIGHTS, as uv_write2 passes a handle.
            sock = socket.socket(fileno=os.dup(fd))
            if name == 'handle_pipe':
                passed = os.pipe()[0]
                line = b'{"cmd":"NODE_HANDLE","type":"dgram.Native","msg":{}}\n'
            else:
                passed = socket.socket(socket.AF_INET, socket.SOCK_DGRAM).detach()
                line = b'{"plain":"message"}\n'
            sock.sendmsg([line], [(socket.SOL_SOCKET, socket.SCM_RIGHTS,
                                   array.array('i', [passed]))])
        elif name == 'big_valid':
            view = memoryview((json.dumps({'blob': 'y' * (CAP // 4)}) + '\n').encode())
            while view:
                view = view[os.write(fd, view):]
        else:
            view = memoryview(PAYLOADS[name]())
            while view:
                view = view[os.write(fd, view):]
        while os.read(fd, 65536):   # until the primary closes the channel
            pass
    except OSError:
        pass   # the primary closed the channel while we wrote
    sys.exit(0)


if os.environ.get('ROLE') == 'hostile':
    hostile()

import dgram_uv as dgram
from dgram_uv import cluster

if cluster.is_primary:
    payloads = sys.argv[1:]
    results = {'hostile': {}, 'good': []}
    state = {'port': None, 'left': len(payloads)}
    good = cluster.fork({'ROLE': 'good'})

    def on_good(msg):
        results['good'].append(msg)
        if 'port' in msg:
            state['port'] = msg['port']
            for name in payloads:
                start_hostile(name)
        elif 'again' in msg:
            client = dgram.create_socket('udp4')
            client.send(b'ping', state['port'], '127.0.0.1', lambda *_: client.close())
        elif 'got' in msg:
            cluster.disconnect()
    good.on('message', on_good)

    def start_hostile(name):
        worker = cluster.fork({'ROLE': 'hostile', 'PAYLOAD': name})
        entry = results['hostile'][name] = {'id': worker.id, 'disconnect': False, 'exit': None}

        def on_message(msg):
            if isinstance(msg, dict) and 'blob' in msg:
                entry['message'] = len(msg['blob'])
                worker.process.disconnect()
            else:
                entry['message'] = msg
        worker.on('message', on_message)
        worker.on('disconnect', lambda: entry.update(disconnect=True))

        def on_exit(code, signal):
            entry['exit'] = [code, signal]
            state['left'] -= 1
            if state['left'] == 0:
                good.send({'bind_again': True})
        worker.on('exit', on_exit)

    dgram.run()
    print(json.dumps(results))
else:
    sock = dgram.create_socket('udp4')
    sock.on('message', lambda msg, rinfo: cluster.worker.send({'got': msg.decode()}))
    sock.bind(0, '127.0.0.1', lambda: cluster.worker.send({'port': sock.address().port}))

    def on_primary_message(msg):
        # A second shared bind: the primary's queryServer path still works.
        other = dgram.create_socket('udp4')
        other.bind(0, '127.0.0.1', lambda: cluster.worker.send({'again': other.address().port}))
    cluster.worker.on('message', on_primary_message)
    dgram.run()
'''

STDERR_LINE = re.compile(r'^dgram_uv: closed the IPC channel of cluster worker (\d+) '
                         r'\(pid \d+\): (.+)$')


def run_hostile(tmp_path: Path, payloads: dict[str, str]) -> dict[str, Any]:
    """Fork a good worker and one hostile worker per payload; each hostile one
    must lose its channel with the reason expected (a regex), the good one
    must go on binding shared sockets and receiving."""
    proc = run_script(tmp_path, SCRIPT, *payloads)
    results = json.loads(proc.stdout.splitlines()[-1])
    by_id = {entry['id']: name for name, entry in results['hostile'].items()}
    reasons: dict[str, list[str]] = {}
    for line in proc.stderr.splitlines():
        match = STDERR_LINE.match(line)
        assert match, f'unexpected stderr line: {line!r}\n{proc.stderr}'
        reasons.setdefault(by_id[int(match[1])], []).append(match[2])
    for name, pattern in payloads.items():
        entry = results['hostile'][name]
        assert entry['disconnect'] and entry['exit'] == [0, None], (name, entry)
        assert len(reasons.get(name, [])) == 1, (name, reasons.get(name), proc.stderr)
        assert re.search(pattern, reasons[name][0]), (name, reasons[name][0])
    good = results['good']
    assert [sorted(msg) for msg in good] == [['port'], ['again'], ['got']], good
    assert good[2] == {'got': 'ping'}
    hostile: dict[str, Any] = results['hostile']
    return hostile


def test_primary_survives_malformed_cluster_messages(tmp_path: Path) -> None:
    run_hostile(tmp_path, {
        'bad_address_type': r'queryServer.*addressType',
        'missing_fields': r'queryServer.*addressType',
        'bad_port': r'queryServer.*port',
        'bad_flags': r'queryServer.*flags',
        'repeated_query': r'queryServer.*twice',
        'unhashable_ack': r'ack',
    })


def test_primary_survives_bytes_that_are_not_json(tmp_path: Path) -> None:
    hostile = run_hostile(tmp_path, {
        'nested': r'nested deeper',
        'garbage': r'not JSON',
        'nan': r'not JSON',
        'not_utf8_then_garbage': r'not JSON',
    })
    # The line before the garbage was a message (bytes that are not UTF-8
    # decode to U+FFFD, as Node's StringDecoder does).
    assert hostile['not_utf8_then_garbage']['message'] == '\ufffd('


def test_primary_survives_stray_handles(tmp_path: Path) -> None:
    run_hostile(tmp_path, {
        'handle_pipe': r'handle of type',
        'handle_udp': r'handle without',
    })


# --- 4: size cap and linear reading ------------------------------------------------------

def test_message_over_the_cap_ends_the_channel(tmp_path: Path) -> None:
    # 'too_long' is 64 MiB + 2 bytes without a newline; 'big_valid' a 16 MiB
    # message, which is delivered.
    run_hostile(tmp_path, {'too_long': r'longer than 67108864 bytes'})
    proc = run_script(tmp_path, SCRIPT, 'big_valid')
    results = json.loads(proc.stdout.splitlines()[-1])
    assert results['hostile']['big_valid']['message'] == child_process.MAX_MESSAGE_BYTES // 4
    assert proc.stderr == ''


def _ipc_pair() -> tuple[child_process.IpcProcess, socket.socket]:
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    pipe = pyuv.Pipe(uv_loop.get_loop(), True)
    pipe.open(ours.detach())
    proc = child_process.IpcProcess(pipe)
    proc.unref()
    return proc, theirs


def _settle(proc: child_process.IpcProcess, other: socket.socket) -> None:
    proc._close_pipe()
    other.close()
    uv_loop.get_loop().run(pyuv.UV_RUN_NOWAIT)


def test_reading_a_long_line_is_linear() -> None:
    # The bytes allocated while reading a line that arrives in n chunks must
    # grow with n, not n**2 (the buffer must not be re-joined per chunk).
    proc, other = _ipc_pair()
    chunk = b'x' * 65536
    chunks = 128
    allocated = 0
    tracemalloc.start()
    try:
        for _ in range(chunks):
            before = tracemalloc.get_traced_memory()[0]
            tracemalloc.reset_peak()
            proc._on_read(chunk)
            allocated += tracemalloc.get_traced_memory()[1] - before
    finally:
        tracemalloc.stop()
        _settle(proc, other)
    total = len(chunk) * chunks
    assert allocated < 4 * total, f'{allocated} bytes allocated to read {total}'


def test_lines_split_across_chunks_are_messages() -> None:
    proc, other = _ipc_pair()
    got: list[Any] = []
    proc.on('message', got.append)
    try:
        data = b''.join(json.dumps({'n': n, 'pad': 'z' * n}).encode() + b'\n'
                        for n in range(50))
        for start in range(0, len(data), 97):
            proc._on_read(data[start:start + 97])
        uv_loop.process_ticks()
    finally:
        _settle(proc, other)
    assert [msg['n'] for msg in got] == list(range(50))


def test_json_numbers_beyond_python_int_limits_are_javascript_numbers() -> None:
    # JSON.parse gives Infinity for 400 nines; Python's int() refuses more
    # than 4300 digits: the message must arrive, not end the channel.
    proc, other = _ipc_pair()
    got: list[Any] = []
    proc.on('message', got.append)
    try:
        proc._on_read(b'[' + b'9' * 5000 + b', -' + b'1' * 5000 + b', 12]\n')
        uv_loop.process_ticks()
    finally:
        _settle(proc, other)
    assert got == [[float('inf'), float('-inf'), 12]]


def test_lone_surrogates_are_sent_escaped_as_json_stringify_does() -> None:
    # UTF-8 cannot carry '\ud800': JSON.stringify writes it as an escape.
    proc, other = _ipc_pair()
    got: list[Any] = []
    try:
        assert proc.send(['\ud800x', '\udc00', 'é'], lambda err: got.append(err)) is True
        uv_loop.run()
        other.settimeout(10)
        line = other.recv(100)
        proc._on_read(line)
        proc.on('message', got.append)
        uv_loop.process_ticks()
    finally:
        _settle(proc, other)
    assert line == '["\\ud800x","\\udc00","é"]\n'.encode()   # as Node's bytes
    assert got == [None, ['\ud800x', '\udc00', 'é']]


def test_sending_a_message_over_the_cap_fails_with_emsgsize() -> None:
    proc, other = _ipc_pair()
    results: list[Any] = []
    try:
        ok = proc.send({'blob': 'x' * child_process.MAX_MESSAGE_BYTES},
                       lambda err: results.append(err))
        uv_loop.process_ticks()
        small = proc.send({'blob': 'fits'}, lambda err: results.append(err))
        uv_loop.run()
        other.settimeout(10)
        assert other.recv(100) == b'{"blob":"fits"}\n'
    finally:
        _settle(proc, other)
    assert ok is False and small is True
    assert len(results) == 2 and results[1] is None
    assert isinstance(results[0], OSError) and results[0].code == 'EMSGSIZE', results
    assert str(results[0]) == 'write EMSGSIZE'

