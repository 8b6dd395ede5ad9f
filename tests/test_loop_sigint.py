"""Ctrl-C while run() waits in libuv: KeyboardInterrupt comes out of run(), and
Python's own SIGINT handler is back afterwards (a fresh process for each, since
the test sends a real SIGINT to itself)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent('''
    import os, signal, time
    import dgram_uv as dgram
    sock = dgram.create_socket('udp4')
    sock.bind(0, '127.0.0.1')            # keeps run() waiting in epoll
    dgram.set_timeout(lambda: os.kill(os.getpid(), signal.SIGINT), 100).unref()
    try:
        dgram.run()
        print('run returned')
    except KeyboardInterrupt:
        print('KeyboardInterrupt from run()')
    try:
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(5)
        print('no KeyboardInterrupt outside run()')
    except KeyboardInterrupt:
        print('KeyboardInterrupt outside run()')
    sock.close()
    dgram.run()                          # the loop is intact: the close completes
    print('closed')
''')


def test_ctrl_c_interrupts_a_waiting_run_and_python_keeps_its_handler() -> None:
    proc = subprocess.run([sys.executable, '-c', SCRIPT], capture_output=True, text=True,
                          timeout=60, check=False)
    assert proc.stdout.splitlines() == [
        'KeyboardInterrupt from run()', 'KeyboardInterrupt outside run()', 'closed'], proc.stderr
    assert proc.returncode == 0, proc.stderr
