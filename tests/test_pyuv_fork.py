"""pyuv's Loop.fork() (libuv's uv_loop_fork, added by scripts/pyuv-1.4.0.patch)
with a real os.fork().

After os.fork() the child's loop still uses the parent's epoll instance: the
two processes hold one kernel object. When the child closes its copy of a
handle, libuv removes the handle's fd from that shared epoll, and the parent's
loop is never told of its datagrams again. Loop.fork() in the child gives its
loop an epoll of its own first. What it does not do is separate the sockets:
a child that keeps an inherited handle receiving takes datagrams sent to the
parent.

Each test uses a loop of its own (not dgram_uv's) and a child that reports
over a pipe and leaves with os._exit.
"""

from __future__ import annotations

import os
import resource
import select
import socket
import traceback
from collections.abc import Callable

import pyuv

COUNT = 20
DEADLINE = 30.0   # seconds: only bounds a broken run, never expected to pass


class Receiver:
    """A UDP handle on 127.0.0.1 receiving into ``got``, registered with the
    loop's epoll (libuv adds an fd to epoll on the loop iteration after
    start_recv, so it runs one)."""

    def __init__(self, loop: pyuv.Loop) -> None:
        self.loop = loop
        self.udp = pyuv.UDP(loop)
        self.udp.bind(('127.0.0.1', 0))
        self.port = self.udp.getsockname()[1]
        self.got: list[bytes] = []
        self.udp.start_recv(self._on_recv)
        loop.run(pyuv.UV_RUN_NOWAIT)

    def _on_recv(self, handle: pyuv.UDP, addr: object, flags: int, data: bytes | None,
                 error: int | None) -> None:
        assert error is None, pyuv.errno.strerror(error)
        assert data is not None
        self.got.append(data)
        if len(self.got) == COUNT:
            self.loop.stop()

    def run_until_all(self, seconds: float) -> None:
        """Run the loop until COUNT datagrams arrived, or for ``seconds``."""
        timer = pyuv.Timer(self.loop)
        timer.start(lambda t: self.loop.stop(), seconds, 0)
        if len(self.got) < COUNT:
            self.loop.run()
        timer.close()
        self.loop.run(pyuv.UV_RUN_NOWAIT)

    def queued(self) -> list[bytes]:
        """The datagrams waiting in the socket itself, read past libuv."""
        sock = socket.socket(fileno=os.dup(self.udp.fileno()))
        sock.setblocking(False)
        out: list[bytes] = []
        try:
            while True:
                out.append(sock.recv(2048))
        except BlockingIOError:
            pass
        finally:
            sock.close()
        return out


def datagrams() -> list[bytes]:
    return [b'datagram %d' % i for i in range(COUNT)]


def send_all(port: int) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        for payload in datagrams():
            sock.sendto(payload, ('127.0.0.1', port))


def fork(child: Callable[[int, int], None]) -> tuple[int, int, int]:
    """Fork; the child runs ``child(to_parent, from_parent)`` and exits 0, or 1
    (with its traceback on stderr) if it raised. Returns the child's pid and
    the parent's ends: (pid, from_child, to_child)."""
    up_r, up_w = os.pipe()
    down_r, down_w = os.pipe()
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            os.close(up_r)
            os.close(down_w)
            child(up_w, down_r)
            code = 0
        except BaseException:
            traceback.print_exc()
        finally:
            os._exit(code)
    os.close(up_w)
    os.close(down_r)
    return pid, up_r, down_w


def read_line(fd: int) -> str:
    """One line from the child (bounded wait)."""
    data = b''
    while not data.endswith(b'\n'):
        ready, _, _ = select.select([fd], [], [], DEADLINE)
        assert ready, 'the child did not report'
        chunk = os.read(fd, 256)
        assert chunk, f'the child closed its pipe after {data!r}'
        data += chunk
    return data.decode().strip()


def reap(pid: int, *fds: int) -> None:
    for fd in fds:
        os.close(fd)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, 'the child failed (traceback on stderr)'


def close_then_keep_running(call_fork: bool, rx: Receiver) -> Callable[[int, int], None]:
    """The child: (Loop.fork(),) close its copy of the handle, say so, then run
    its loop, watching the pipe from the parent, until the parent says stop."""
    def child(up: int, down: int) -> None:
        if call_fork:
            rx.loop.fork()
        rx.udp.close()
        rx.loop.run()   # completes the close
        watch = pyuv.Poll(rx.loop, down)
        watch.start(pyuv.UV_READABLE, lambda handle, events, error: handle.close())
        os.write(up, b'closed\n')
        rx.loop.run()
    return child


def test_child_closing_its_copy_after_fork_leaves_parent_receiving() -> None:
    rx = Receiver(pyuv.Loop())
    pid, from_child, to_child = fork(close_then_keep_running(True, rx))
    try:
        assert read_line(from_child) == 'closed'
        send_all(rx.port)
        rx.run_until_all(DEADLINE)   # while the child's loop runs too
        assert rx.got == datagrams()
    finally:
        os.write(to_child, b'stop')
        reap(pid, from_child, to_child)
        rx.udp.close()
        rx.loop.run()


def test_without_fork_the_childs_close_deafens_the_parent() -> None:
    # The failure Loop.fork() prevents, kept as a test so that the one above
    # is known to detect it: the child's uv_close removed the fd from the
    # shared epoll, so the datagrams reach the parent's socket and stay there.
    rx = Receiver(pyuv.Loop())
    pid, from_child, to_child = fork(close_then_keep_running(False, rx))
    try:
        assert read_line(from_child) == 'closed'
        send_all(rx.port)
        rx.run_until_all(1.0)
        assert rx.got == []
        assert rx.queued() == datagrams()
    finally:
        os.write(to_child, b'stop')
        reap(pid, from_child, to_child)
        rx.udp.close()
        rx.loop.run()


def test_fork_does_not_separate_inherited_sockets() -> None:
    # A child that keeps an inherited handle receiving shares the socket: it
    # takes the datagrams (here all of them, as the parent does not read).
    rx = Receiver(pyuv.Loop())

    def child(up: int, down: int) -> None:
        rx.loop.fork()
        rx.got.clear()
        os.write(up, b'ready\n')
        rx.run_until_all(DEADLINE)
        os.write(up, b'%d\n' % len(rx.got))

    pid, from_child, to_child = fork(child)
    try:
        assert read_line(from_child) == 'ready'
        send_all(rx.port)
        assert read_line(from_child) == str(COUNT)
        assert rx.queued() == []
    finally:
        reap(pid, from_child, to_child)
        rx.udp.close()
        rx.loop.run()


def test_fork_failure_raises_uverror() -> None:
    # uv_loop_fork closes the loop's epoll fd and creates another; with every
    # fd below the old one taken and RLIMIT_NOFILE at the old one's number,
    # epoll_create1 fails with EMFILE, which fork() raises as pyuv's UVError.
    def child(up: int, down: int) -> None:
        loop = pyuv.Loop()
        backend = loop.fileno()
        while (fd := os.open(os.devnull, os.O_RDONLY)) < backend:
            pass
        os.close(fd)
        hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
        resource.setrlimit(resource.RLIMIT_NOFILE, (backend, hard))
        try:
            loop.fork()
        except pyuv.error.UVError as err:
            os.write(up, f'{err.args!r} {type(err).__name__}\n'.encode())
        else:
            os.write(up, b'no error\n')

    pid, from_child, to_child = fork(child)
    try:
        line = read_line(from_child)
    finally:
        reap(pid, from_child, to_child)
    expected = (pyuv.errno.UV_EMFILE, pyuv.errno.strerror(pyuv.errno.UV_EMFILE))
    assert line == f'{expected!r} UVError'
