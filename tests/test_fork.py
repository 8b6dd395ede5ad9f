"""``os.fork()`` with dgram_uv's live loop, with a real fork in a fresh process.

The child inherits the parent's receiving socket.  It closes its copy and runs
the loop with a socket of its own while the parent goes on receiving: that
works only because the child's loop got kernel state of its own
(``uv_loop_fork()``, called by ``_binding.fork`` through
``os.register_at_fork``).  Without it, the child's close unregisters the socket
from the epoll instance both processes share and the parent hears nothing.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from dgram_uv._binding import fork

COUNT = 20

FORK_SCRIPT = r'''
import json, os, socket, sys
import dgram_uv as dgram

COUNT = int(sys.argv[1])
report = {'got': []}
parent = dgram.create_socket('udp4')
# Bind, and let the loop poll once, so that the socket is in its epoll set.
parent.bind(0, '127.0.0.1', lambda: dgram.set_timeout(lambda: None, 10))
parent.unref()
dgram.run()
parent.ref()
port = parent.address().port

pid = os.fork()
if pid == 0:
    # The child: close the inherited socket, then run the loop with a socket
    # of its own until the parent says stop.
    code = 1
    try:
        parent.close()
        mine = dgram.create_socket('udp4')
        mine.on('message', lambda msg, rinfo: mine.close())
        mine.bind(0, '127.0.0.1',
                  lambda: mine.send(f'ready {mine.address().port}', port, '127.0.0.1'))
        dgram.run()
        code = 0
    finally:
        os._exit(code)


def fail_later():
    report['timeout'] = True
    parent.close()
    os.kill(pid, 9)
watchdog = dgram.set_timeout(fail_later, 30000)
watchdog.unref()


def on_message(msg, rinfo):
    text = msg.decode()
    report['got'].append(text)
    if text.startswith('ready '):
        # The child has closed its copy and runs its loop: the parent still
        # receives, here from a sender that is not dgram_uv.
        report['child_port'] = int(text.split()[1])
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as plain:
            for n in range(COUNT):
                plain.sendto(b'%d' % n, ('127.0.0.1', port))
    elif len(report['got']) == COUNT + 1:
        stop = dgram.create_socket('udp4')
        stop.send('stop', report['child_port'], '127.0.0.1', lambda *_: stop.close())
        parent.close()
parent.on('message', on_message)
dgram.run()
dgram.clear_timeout(watchdog)
_, status = os.waitpid(pid, 0)
report['child_exit'] = os.waitstatus_to_exitcode(status)
print(json.dumps(report))
'''


def test_forked_child_closing_and_running_leaves_parent_receiving() -> None:
    proc = subprocess.run([sys.executable, '-c', FORK_SCRIPT, str(COUNT)], capture_output=True,
                          text=True, timeout=90, check=False)
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert 'timeout' not in report, report
    assert report['got'][0].startswith('ready ')
    assert report['got'][1:] == [str(n) for n in range(COUNT)]
    assert report['child_exit'] == 0
    assert proc.stderr == ''


class _LoopWithoutFork:
    """A loop object as an unpatched pyuv's: no ``fork`` method."""


def test_a_pyuv_without_loop_fork_warns_in_the_child() -> None:
    with pytest.warns(RuntimeWarning, match=r'no Loop\.fork\(\)'):
        fork.after_fork_in_child(_LoopWithoutFork())

