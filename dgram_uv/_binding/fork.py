"""``os.fork()`` with a live uv loop: ``uv_loop_fork()`` in the child.

A forked child inherits the loop's kernel state along with its memory: the
same epoll instance (and signal pipe and async wakeup) as the parent.  With
one epoll for two processes, a ``close()`` in the child removes the socket
from the parent's epoll too (the parent stops receiving), and a child that
runs the loop is woken for the parent's sockets.  libuv's answer is
``uv_loop_fork()``, called in the child before it uses the loop: it gives the
child's loop an epoll instance, signal pipe and wakeup of its own and
registers its handles there.  ``install(loop)`` makes ``os.fork()`` call it
(``Loop.fork()``, which the project's pyuv patch adds) in every child, through
``os.register_at_fork``; with a pyuv that lacks it, the child gets a
``RuntimeWarning`` saying its loop must not be used.

What a forked child may do with the dgram sockets it inherits: close them
(the parent's keep working), or leave them alone and never run the loop; it
may make sockets of its own and run the loop.  It must not keep an inherited
socket receiving while it runs the loop: the socket is one and the same in
both processes, so the child would take datagrams meant for the parent
(which can be what a pre-forking server wants, if both sides mean it).
"""

from __future__ import annotations

import os
import warnings
from typing import Any

import pyuv

__all__ = ['install', 'after_fork_in_child']

_installed: set[int] = set()


def install(loop: pyuv.Loop) -> None:
    """Have every ``os.fork()`` child re-initialize ``loop`` (once per loop)."""
    if id(loop) in _installed:
        return
    _installed.add(id(loop))
    os.register_at_fork(after_in_child=lambda: after_fork_in_child(loop))


def after_fork_in_child(loop: Any) -> None:
    """``uv_loop_fork(loop)``; a warning if pyuv cannot or it fails."""
    reinit = getattr(loop, 'fork', None)
    if reinit is None:
        warnings.warn('dgram_uv: this pyuv has no Loop.fork() (uv_loop_fork), so the loop of '
                      'this forked process shares its epoll instance with the parent: do not '
                      'run it or close inherited sockets here (build pyuv with scripts/setup)',
                      RuntimeWarning, stacklevel=2)
        return
    try:
        reinit()
    except pyuv.error.UVError as err:
        warnings.warn(f'dgram_uv: uv_loop_fork failed in this forked process ({err.args}): '
                      'its loop shares kernel state with the parent and must not be used',
                      RuntimeWarning, stacklevel=2)
