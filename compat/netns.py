"""Private network namespaces and forked children for Node's test/internet dgram tests.

Node's test/internet tests send to real multicast groups (224.0.0.x, 232.1.1.1,
ff3e::1234) and to the limited broadcast address, and one resolves a name through
the system's resolver. Here each of them runs inside a network namespace it
creates itself, so no packet leaves the machine:

* ``namespace(topology)`` creates ``dgramuv-<random>`` (``ip netns add``), builds
  the topology below inside it, yields its name and, whatever happens, kills the
  processes left in it and deletes it.
* ``netns_test(__file__, topology=...)`` is the pytest entry (like
  ``common.node_test``): namespace, then ``ip netns exec <ns> python -m
  compat.<module>``, then the namespace is gone. Without root or ``ip netns`` the
  test fails, saying so (CI runs as root); it never passes silently.

Topologies:

``'loopback'``
    only ``lo``, up: nothing outside the host is reachable, a DNS query fails at once.
``'multicast'``
    ``lo`` up with MULTICAST on, plus a veth pair ``dgu0``/``dgu1`` (both ends in
    the namespace). ``dgu0`` is the one non-internal interface Node's tests look
    for (``os.networkInterfaces()``): 10.77.0.1/24 and fd77::1/64, multicast on,
    route 224.0.0.0/4 through it (the kernel adds ff00::/8 itself). ``dgu1`` only
    carries the link; it has no address (no IPv6 link-local either:
    ``addrgenmode none``) and no multicast route, so the interface list is ``lo``
    then ``dgu0`` and every multicast packet goes through ``dgu0``.
    Senders reach their own host's members through IP_MULTICAST_LOOP and the
    kernel's broadcast loopback, as on Node's test machines.

Also here, because the multi-process tests need them:

* ``network_interfaces()`` is Node's ``os.networkInterfaces()`` (libuv's
  ``uv_interface_addresses``: getifaddrs, interfaces up and running, no packet
  addresses, ``internal`` = IFF_LOOPBACK).
* ``fork(__file__, *args)`` is Node's ``child_process.fork``: a ``ChildProcess``
  emitting ``'message'`` (msg) and ``'exit'`` (code, signal) on the dgram_uv loop,
  with ``kill()``; the child's ``process_send(msg, callback)`` is Node's
  ``process.send``. The IPC channel is a socketpair at the child's fd 3 carrying
  JSON lines (Node's 'json' serialization over NODE_CHANNEL_FD).

``python -m compat.netns [--topology T] -- CMD ...`` runs any command in a fresh
namespace (e.g. the Node oracle on Node's original test, to compare).
"""

from __future__ import annotations

import argparse
import ctypes
import ctypes.util
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyuv

from compat import common
from dgram_uv import timers
from dgram_uv._binding import loop as dgram_loop
from dgram_uv.events import EventEmitter

__all__ = [
    'NS_PREFIX', 'TOPOLOGIES', 'IPV4_ADDRESS', 'IPV6_ADDRESS', 'INTERFACE', 'NetnsUnavailable',
    'require_netns', 'namespace', 'netns_test', 'InterfaceAddress', 'network_interfaces',
    'ChildProcess', 'fork', 'process_send', 'CHANNEL_FD_ENV', 'SKIP_MARK',
]

NS_PREFIX = 'dgramuv-'
INTERFACE = 'dgu0'
PEER = 'dgu1'
IPV4_ADDRESS = '10.77.0.1'
IPV6_ADDRESS = 'fd77::1'

TOPOLOGIES: dict[str, tuple[tuple[str, ...], ...]] = {
    'loopback': (
        ('link', 'set', 'lo', 'up'),
    ),
    'multicast': (
        ('link', 'set', 'lo', 'multicast', 'on'),
        ('link', 'set', 'lo', 'up'),
        ('link', 'add', INTERFACE, 'type', 'veth', 'peer', 'name', PEER),
        ('link', 'set', INTERFACE, 'addrgenmode', 'none'),
        ('link', 'set', PEER, 'addrgenmode', 'none'),
        ('link', 'set', INTERFACE, 'multicast', 'on'),
        ('addr', 'add', f'{IPV4_ADDRESS}/24', 'broadcast', '10.77.0.255', 'dev', INTERFACE),
        ('-6', 'addr', 'add', f'{IPV6_ADDRESS}/64', 'dev', INTERFACE, 'nodad'),
        ('link', 'set', PEER, 'up'),
        ('link', 'set', INTERFACE, 'up'),
        ('route', 'add', '224.0.0.0/4', 'dev', INTERFACE),
        ('-6', 'route', 'del', 'multicast', 'ff00::/8', 'dev', PEER, 'table', 'local'),
    ),
}

SKIP_MARK = '1..0 # Skipped'
"""What ``common.skip`` prints. Inside a namespace built for the test, every
capability the test could skip for is there, so a skip is reported as a failure."""


class NetnsUnavailable(AssertionError):
    """Network namespaces cannot be made here (not root, no ``ip``, no CAP_SYS_ADMIN)."""


def _ip(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(['ip', *args], capture_output=True, text=True, check=False,
                          timeout=30)
    if check and proc.returncode != 0:
        raise NetnsUnavailable(
            f'`ip {" ".join(args)}` failed ({proc.returncode}): {proc.stderr.strip()}')
    return proc


def require_netns() -> None:
    """Fail (never skip) when this process cannot create network namespaces."""
    why = None
    if os.geteuid() != 0:
        why = 'it must run as root'
    elif shutil.which('ip') is None:
        why = '`ip` (iproute2) is not installed'
    if why is not None:
        raise NetnsUnavailable(
            f'this Node test/internet test runs in a private network namespace, and {why} '
            '(`ip netns add` needs root and iproute2; CI runs as root)')


@contextmanager
def namespace(topology: str = 'multicast') -> Iterator[str]:
    """Create a namespace with ``topology`` inside, yield its name, always delete it."""
    require_netns()
    commands = TOPOLOGIES[topology]
    name = f'{NS_PREFIX}{secrets.token_hex(4)}'
    _ip('netns', 'add', name)
    try:
        for command in commands:
            _ip('-n', name, *command)
        yield name
    finally:
        _kill_processes_in(name)
        _ip('netns', 'del', name, check=False)


def _kill_processes_in(name: str) -> None:
    # Everything still running in the namespace was started by this test.
    proc = _ip('netns', 'pids', name, check=False)
    for word in proc.stdout.split():
        try:
            os.kill(int(word), signal.SIGKILL)
        except (ValueError, ProcessLookupError):
            pass


def netns_test(path: str | os.PathLike[str], *, topology: str = 'multicast',
               args: Iterable[str] = (), env: Mapping[str, str] | None = None,
               timeout: float = common.DEFAULT_TIMEOUT + 30) -> Callable[[], None]:
    """A pytest test: ``python -m compat.<module>`` inside a fresh namespace.

    Passes when the process exits 0 within ``timeout`` without printing a skip
    (see ``SKIP_MARK``); shows its output otherwise.
    """
    argv = common.child_argv(path, *args)
    extra_env = dict(env or {})

    def test() -> None:
        with namespace(topology) as name:
            command = ['ip', 'netns', 'exec', name, *argv]
            proc = subprocess.Popen(command, cwd=common.ROOT, env={**os.environ, **extra_env},
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                    start_new_session=True)
            try:
                out, err = proc.communicate(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                out, err = proc.communicate()
                raise AssertionError(
                    f'{" ".join(argv[1:])} did not exit within {timeout:g} s in {name}\n'
                    f'--- stdout\n{_text(out)}\n--- stderr\n{_text(err)}') from None
        shown = (f'{" ".join(argv[1:])} exited with {proc.returncode} in a {topology} netns\n'
                 f'--- stdout\n{_text(out)}\n--- stderr\n{_text(err)}')
        assert proc.returncode == 0, shown
        assert SKIP_MARK not in _text(out), 'skipped inside its own namespace:\n' + shown

    test.__name__ = Path(path).stem
    test.__qualname__ = test.__name__
    test.__doc__ = f'Runs {common.module_name(path)} in a private network namespace.'
    return test


def _text(data: bytes | None) -> str:
    return '' if data is None else data.decode('utf-8', 'replace')


# --- Node's os.networkInterfaces() ---------------------------------------------------

@dataclass(frozen=True)
class InterfaceAddress:
    """One entry of Node's ``os.networkInterfaces()[name]``."""

    address: str
    netmask: str
    family: str          # 'IPv4' or 'IPv6'
    internal: bool
    scopeid: int | None  # IPv6 only


class _Sockaddr(ctypes.Structure):
    _fields_ = [('sa_family', ctypes.c_ushort), ('sa_data', ctypes.c_ubyte * 14)]


class _SockaddrIn(ctypes.Structure):
    _fields_ = [('sin_family', ctypes.c_ushort), ('sin_port', ctypes.c_uint16),
                ('sin_addr', ctypes.c_ubyte * 4), ('sin_zero', ctypes.c_ubyte * 8)]


class _SockaddrIn6(ctypes.Structure):
    _fields_ = [('sin6_family', ctypes.c_ushort), ('sin6_port', ctypes.c_uint16),
                ('sin6_flowinfo', ctypes.c_uint32), ('sin6_addr', ctypes.c_ubyte * 16),
                ('sin6_scope_id', ctypes.c_uint32)]


class _Ifaddrs(ctypes.Structure):
    pass


_Ifaddrs._fields_ = [
    ('ifa_next', ctypes.POINTER(_Ifaddrs)), ('ifa_name', ctypes.c_char_p),
    ('ifa_flags', ctypes.c_uint), ('ifa_addr', ctypes.POINTER(_Sockaddr)),
    ('ifa_netmask', ctypes.POINTER(_Sockaddr)), ('ifa_ifu', ctypes.POINTER(_Sockaddr)),
    ('ifa_data', ctypes.c_void_p),
]

_IFF_UP = 0x1
_IFF_LOOPBACK = 0x8
_IFF_RUNNING = 0x40
_libc = ctypes.CDLL(ctypes.util.find_library('c') or 'libc.so.6', use_errno=True)


def _address(sockaddr: Any) -> tuple[str, int | None] | None:
    family = sockaddr.contents.sa_family
    if family == socket.AF_INET:
        v4 = ctypes.cast(sockaddr, ctypes.POINTER(_SockaddrIn)).contents
        return socket.inet_ntop(socket.AF_INET, bytes(v4.sin_addr)), None
    if family == socket.AF_INET6:
        v6 = ctypes.cast(sockaddr, ctypes.POINTER(_SockaddrIn6)).contents
        return socket.inet_ntop(socket.AF_INET6, bytes(v6.sin6_addr)), v6.sin6_scope_id
    return None


def network_interfaces() -> dict[str, list[InterfaceAddress]]:
    """Node's ``os.networkInterfaces()``: addresses by interface name, in getifaddrs order."""
    head = ctypes.POINTER(_Ifaddrs)()
    if _libc.getifaddrs(ctypes.byref(head)) != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, os.strerror(errno), 'getifaddrs')
    result: dict[str, list[InterfaceAddress]] = {}
    try:
        entry = head
        while entry:
            ifa = entry.contents
            entry = ifa.ifa_next
            # libuv's uv__ifaddr_exclude: up and running, with an IP address.
            if not (ifa.ifa_flags & _IFF_UP and ifa.ifa_flags & _IFF_RUNNING):
                continue
            if not ifa.ifa_addr:
                continue
            found = _address(ifa.ifa_addr)
            if found is None:
                continue
            address, scopeid = found
            mask = _address(ifa.ifa_netmask) if ifa.ifa_netmask else None
            ipv6 = ifa.ifa_addr.contents.sa_family == socket.AF_INET6
            result.setdefault(ifa.ifa_name.decode(), []).append(InterfaceAddress(
                address=address,
                netmask=mask[0] if mask else ('::' if ipv6 else '0.0.0.0'),
                family='IPv6' if ipv6 else 'IPv4',
                internal=bool(ifa.ifa_flags & _IFF_LOOPBACK),
                scopeid=scopeid if ipv6 else None,
            ))
    finally:
        _libc.freeifaddrs(head)
    return result


# --- Node's child_process.fork and process.send -------------------------------------

CHANNEL_FD_ENV = 'DGRAM_UV_CHANNEL_FD'
"""Names the child's IPC fd, as Node's NODE_CHANNEL_FD does."""

_CHANNEL_FD = 3
_PR_SET_PDEATHSIG = 1


class ChildProcess(EventEmitter):
    """Node's ChildProcess made by ``fork``: ``pid``, ``kill()``, ``'message'``, ``'exit'``.

    The child runs ``python -m compat.<module> *args`` with the same stdin,
    stdout and stderr (Node's fork default, 'inherit') and the IPC channel at
    fd 3. libuv spawns it (``uv_spawn``) on the dgram_uv loop; every callback
    goes through ``loop.make_callback`` so next ticks run after it, as in Node.
    ``'exit'`` (code, signal) is emitted once the process has exited and its
    channel is closed, so every ``'message'`` the child sent comes before it.
    """

    def __init__(self, path: str | os.PathLike[str], args: Iterable[str] = (),
                 env: Mapping[str, str] | None = None) -> None:
        super().__init__()
        uv_loop = dgram_loop.get_loop()
        self._channel = pyuv.Pipe(uv_loop)
        self._pending = b''
        self._channel_open = True
        self._exit_status: tuple[int | None, str | None] | None = None
        self._exit_emitted = False
        self.exit_code: int | None = None
        self.signal_code: str | None = None
        self.killed = False
        inherit = pyuv.UV_INHERIT_FD
        stdio = [
            pyuv.StdIO(fd=0, flags=inherit), pyuv.StdIO(fd=1, flags=inherit),
            pyuv.StdIO(fd=2, flags=inherit),
            pyuv.StdIO(stream=self._channel,
                       flags=pyuv.UV_CREATE_PIPE | pyuv.UV_READABLE_PIPE | pyuv.UV_WRITABLE_PIPE),
        ]
        self._process = pyuv.Process.spawn(
            uv_loop, args=common.child_argv(path, *args), cwd=str(common.ROOT),
            env={**(os.environ if env is None else env), CHANNEL_FD_ENV: str(_CHANNEL_FD)},
            stdio=stdio,
            exit_callback=lambda *a: dgram_loop.make_callback(self._on_exit, *a))
        self.pid: int = self._process.pid
        self._channel.start_read(lambda *a: dgram_loop.make_callback(self._on_read, *a))

    def kill(self, sig: int = signal.SIGTERM) -> bool:
        """Node's ``subprocess.kill()``: SIGTERM by default; False once it has exited."""
        if self._exit_status is not None:
            return False
        try:
            self._process.kill(sig)
        except pyuv.error.ProcessError:
            return False
        self.killed = True
        return True

    def _on_read(self, handle: pyuv.Pipe, data: bytes | None, error: int | None) -> None:
        if data is None:                      # EOF or error: the channel is gone
            handle.close()
            self._channel_open = False
            self._maybe_emit_exit()
            return
        self._pending += data
        *lines, self._pending = self._pending.split(b'\n')
        for line in lines:
            if line.strip():
                self.emit('message', json.loads(line))

    def _on_exit(self, process: pyuv.Process, exit_status: int, term_signal: int) -> None:
        process.close()
        if term_signal:
            self._exit_status = (None, signal.Signals(term_signal).name)
        else:
            self._exit_status = (exit_status, None)
        self.exit_code, self.signal_code = self._exit_status
        self._maybe_emit_exit()

    def _maybe_emit_exit(self) -> None:
        if self._exit_status is not None and not self._channel_open and not self._exit_emitted:
            self._exit_emitted = True
            self.emit('exit', *self._exit_status)


def fork(path: str | os.PathLike[str], *args: str,
         env: Mapping[str, str] | None = None) -> ChildProcess:
    """Node's ``child_process.fork(path, args, {env})`` for a compat file: ``env``
    is the child's whole environment (default: this process's), as in Node."""
    return ChildProcess(path, args, env)


def process_send(message: Any, callback: Callable[..., Any] | None = None) -> bool:
    """Node's ``process.send(message, callback)`` in a child made by ``fork``.

    The message goes out as one JSON line, written before this returns; the
    callback, if any, runs later (on an immediate) with ``None``, as Node calls
    it with ``null`` once the write completed.
    """
    fd = os.environ.get(CHANNEL_FD_ENV)
    if fd is None:
        raise RuntimeError('process_send() needs an IPC channel: run this as a fork() child')
    data = (json.dumps(message) + '\n').encode()
    while data:
        data = data[os.write(int(fd), data):]
    if callback is not None:
        timers.set_immediate(callback, None)
    return True


def _die_with_parent() -> None:
    # A forked child must not outlive its parent (a parent that fails stops
    # without killing them): PR_SET_PDEATHSIG, then check the parent is still there.
    if _libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0 and os.getppid() == 1:
        os._exit(1)


if CHANNEL_FD_ENV in os.environ and sys.platform.startswith('linux'):
    _die_with_parent()


# --- command line: run a command in a fresh namespace --------------------------------

def _main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog='python -m compat.netns',
                                     description='Run a command in a fresh network namespace.')
    parser.add_argument('--topology', choices=sorted(TOPOLOGIES), default='multicast')
    parser.add_argument('command', nargs=argparse.REMAINDER)
    options = parser.parse_args(argv)
    command = options.command[1:] if options.command[:1] == ['--'] else options.command
    if not command:
        parser.error('a command is needed')
    with namespace(options.topology) as name:
        return subprocess.run(['ip', 'netns', 'exec', name, *command], check=False).returncode


if __name__ == '__main__':
    sys.exit(_main(sys.argv[1:]))
