"""What the tests/test_socket_*.py files share: the ``::1`` check, the
loopback tables and the ``Harness`` behind the ``h`` fixture (in conftest.py).

Importing this module checks for the IPv6 loopback: the socket tests use
``::1`` throughout, and a machine without it must fail loudly, not skip.
"""

from __future__ import annotations

import socket
from collections.abc import Callable
from typing import Any

import dgram_uv as dgram
from dgram_uv import errors

Node = Callable[..., Any]
"""The ``node`` fixture: ``node(script, *flags, argv=())`` runs JS under the oracle."""

LOOPBACK = {'udp4': '127.0.0.1', 'udp6': '::1'}
FAMILY = {'udp4': 'IPv4', 'udp6': 'IPv6'}


def require_ipv6_loopback() -> None:
    # CI has ::1; a machine without it must fail loudly, not skip.
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as probe:
            probe.bind(('::1', 0))
    except OSError as exc:
        raise RuntimeError('the IPv6 loopback ::1 is not configured on this machine') from exc


require_ipv6_loopback()


def close_quietly(sock: dgram.Socket) -> None:
    """Close ``sock``; one already closed is left as it is."""
    try:
        sock.close()
    except errors.ERR_SOCKET_DGRAM_NOT_RUNNING:
        pass


class Harness:
    """The sockets one test makes, and ``dgram.run()`` bounded by an unref'd watchdog."""

    def __init__(self) -> None:
        self.sockets: list[dgram.Socket] = []

    def socket(self, *args: Any, **kwargs: Any) -> dgram.Socket:
        return self.track(dgram.create_socket(*args, **kwargs))

    def track(self, sock: dgram.Socket) -> dgram.Socket:
        """Count a socket made otherwise (``dgram.Socket(...)``) among the test's."""
        self.sockets.append(sock)
        return sock

    def close_all(self) -> None:
        for sock in self.sockets:
            close_quietly(sock)

    def run(self, timeout: float = 10.0) -> None:
        expired: list[bool] = []

        def expire() -> None:
            expired.append(True)
            self.close_all()
        watchdog = dgram.set_timeout(expire, timeout * 1000).unref()
        try:
            dgram.run()
        finally:
            dgram.clear_timeout(watchdog)
        assert not expired, f'the loop was still busy after {timeout} s'
