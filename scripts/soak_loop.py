"""Soak probes of the event loop: ``exceptions`` and ``timers``.

``python scripts/soak_loop.py PROBE [--quick]``; see scripts/soak_run.py.

``exceptions``: Node's process dies of an uncaught exception; dgram_uv's
``run()`` re-raises it instead, and a later ``run()`` must continue as if
nothing had happened: every datagram still arrives, every callback still runs
exactly once.  ``timers``: a daemon's per-request timeout, set and cleared
for every request, must not cost memory per request.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from soak_common import Result, Snapshot, check_drift, main

import dgram_uv as dgram

HOST = '127.0.0.1'
TRAFFIC = 20     # datagrams in flight while the exception happens
BOOM_AT = 7      # which datagram / send callback raises
KINDS = ('message', 'send', 'bind', 'connect', 'timer', 'immediate', 'close')
ROUND_LIMIT_MS = 10_000


class Boom(Exception):
    """The exception each round throws from a callback (its argument: the kind)."""


class Round:
    """One round: TRAFFIC datagrams tx -> rx with send callbacks, and one
    callback of ``kind`` that raises Boom(kind).  ``problems()`` after the
    loop has finished says what was lost or called twice."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.got = bytearray(TRAFFIC)
        self.sent = bytearray(TRAFFIC)
        self.extra_calls: dict[str, int] = {}
        self.finished = False
        self.timed_out = False
        self.rx = dgram.create_socket('udp4')
        self.tx = dgram.create_socket('udp4')
        self.extra: Any = None
        self.watchdog = dgram.set_timeout(self.give_up, ROUND_LIMIT_MS)
        self.rx.on('message', self.on_message)
        self.rx.bind(0, HOST, self.start)

    def count(self, name: str) -> None:
        self.extra_calls[name] = self.extra_calls.get(name, 0) + 1

    def step(self, name: str, action: Callable[[str], None]) -> None:
        action(name)
        self.maybe_finish()

    def boom(self, name: str) -> None:
        self.count(name)
        if self.extra_calls[name] == 1:
            raise Boom(self.kind)

    # --- the traffic -------------------------------------------------------------------
    def on_message(self, msg: bytes, rinfo: Any) -> None:
        if msg == b'extra':
            self.count('extra-datagram')
            self.maybe_finish()
            return
        seq = msg[0]
        self.got[seq] += 1
        if self.kind == 'message' and seq == BOOM_AT:
            self.boom('message')
        self.maybe_finish()

    def on_sent(self, seq: int) -> Callable[..., None]:
        def cb(err: Any, *_: Any) -> None:
            self.sent[seq] += 1
            if err is not None:
                self.count('send-error')
            if self.kind == 'send' and seq == BOOM_AT:
                self.boom('send')
            self.maybe_finish()
        return cb

    def start(self) -> None:
        port = self.rx.address().port
        for seq in range(TRAFFIC):
            self.tx.send(bytes([seq]) * 32, port, HOST, self.on_sent(seq))
        getattr(self, 'start_' + self.kind)()

    # --- the callback that raises, by kind -------------------------------------------
    def start_message(self) -> None:
        pass

    def start_send(self) -> None:
        pass

    def start_bind(self) -> None:
        # After the bind callback raised, the socket is bound and receives.
        self.extra = dgram.create_socket('udp4')
        self.extra.on('message', lambda msg, _: self.step('extra-datagram', self.count))

        def on_bound() -> None:
            port = self.extra.address().port
            dgram.next_tick(lambda: self.tx.send(b'extra', port, HOST))
            self.boom('bind')
        self.extra.bind(0, HOST, on_bound)

    def start_connect(self) -> None:
        # After the connect callback raised, the socket is connected and sends.
        self.extra = dgram.create_socket('udp4')

        def on_connect() -> None:
            dgram.next_tick(lambda: self.extra.send(b'extra'))
            self.boom('connect')
        self.extra.connect(self.rx.address().port, HOST, on_connect)

    def start_timer(self) -> None:
        # Three timers due together; the middle one raises; all three run once.
        for name in ('timer-a', 'timer-b', 'timer-c'):
            dgram.set_timeout(self.step, 1, name, self.boom if name == 'timer-b' else self.count)

    def start_immediate(self) -> None:
        for name in ('immediate-a', 'immediate-b'):
            dgram.set_immediate(self.step, name,
                                self.boom if name == 'immediate-a' else self.count)

    def start_close(self) -> None:
        # After the close callback raised, the socket is closed, its fd too.
        self.extra = dgram.create_socket('udp4')
        self.extra.bind(0, HOST, lambda: self.extra.close(lambda: self.boom('close')))

    # --- the end ---------------------------------------------------------------------
    def expected(self) -> dict[str, int]:
        return {
            'message': {'message': 1}, 'send': {'send': 1},
            'bind': {'bind': 1, 'extra-datagram': 1},
            'connect': {'connect': 1, 'extra-datagram': 1},
            'timer': {'timer-a': 1, 'timer-b': 1, 'timer-c': 1},
            'immediate': {'immediate-a': 1, 'immediate-b': 1}, 'close': {'close': 1},
        }[self.kind]

    def maybe_finish(self) -> None:
        if self.finished or not self.complete():
            return
        self.finished = True
        dgram.clear_timeout(self.watchdog)
        self.rx.close()
        self.tx.close()
        if self.extra is not None and self.kind != 'close':
            self.extra.close()

    def complete(self) -> bool:
        return (all(self.got) and all(self.sent)
                and all(self.extra_calls.get(k, 0) >= v for k, v in self.expected().items()))

    def give_up(self) -> None:
        self.timed_out = True
        self.finished = True
        for sock in (self.rx, self.tx, self.extra):
            if sock is not None:
                try:
                    sock.close()
                except Exception:
                    pass

    def problems(self) -> list[str]:
        out = []
        if self.timed_out:
            out.append(f'not complete after {ROUND_LIMIT_MS} ms')
        lost = self.got.count(0)
        dup = sum(1 for n in self.got if n > 1)
        wrong = sum(1 for n in self.sent if n != 1)
        if lost or dup:
            out.append(f'{lost} datagrams lost, {dup} duplicated')
        if wrong:
            out.append(f'{wrong} send callbacks not called exactly once')
        calls = {k: v for k, v in self.extra_calls.items() if k != 'send-error'}
        if calls != self.expected():
            out.append(f'callbacks {calls}, expected {self.expected()}')
        if 'send-error' in self.extra_calls:
            out.append(f'{self.extra_calls["send-error"]} send errors')
        if self.kind == 'close':
            try:
                self.extra.send(b'x', 9, HOST)
                out.append('send on the closed socket did not raise')
            except Exception as err:
                if getattr(err, 'code', None) != 'ERR_SOCKET_DGRAM_NOT_RUNNING':
                    out.append(f'send on the closed socket raised {err!r}')
        return out


def exceptions(quick: bool) -> Result:
    """ROUNDS rounds of each kind: ``run()`` must raise exactly that round's
    Boom once, and the ``run()`` after it must complete the round with
    nothing lost; fds and memory unchanged across rounds."""
    rounds = 20 if quick else 2_000
    result = Result('exceptions')
    fd_before = Snapshot.take().fds
    base: Snapshot | None = None
    raised_ok = resumed_ok = 0
    failures: list[str] = []
    for r in range(rounds):
        if r == max(1, rounds // 10):
            base = Snapshot.take()
        for kind in KINDS:
            rnd = Round(kind)
            raised: list[str] = []
            other: list[str] = []
            for _ in range(5):
                try:
                    dgram.run()
                    break
                except Boom as err:
                    raised.append(str(err.args[0]))
                except Exception as err:
                    other.append(repr(err))
            problems = rnd.problems()
            if raised != [kind] or other:
                problems.insert(0, f'run() raised {raised + other}, expected [Boom({kind!r})]')
            else:
                raised_ok += 1
            if not problems:
                resumed_ok += 1
            elif len(failures) < 5:
                failures.append(f'round {r} {kind}: ' + '; '.join(problems))
    end = Snapshot.take()
    total = rounds * len(KINDS)
    result.figures.update(kinds=len(KINDS), rounds=rounds, raised=f'{raised_ok}/{total}',
                          resumed_intact=f'{resumed_ok}/{total}',
                          datagrams=total * TRAFFIC)
    result.failures.extend(failures)
    if base is not None:
        check_drift(result, base, end, fds=False)
    result.figures['fd_drift'] = end.fds - fd_before
    result.check(end.fds == fd_before, f'{end.fds - fd_before} file descriptors leaked')
    return result


# --- timers: a timeout per request ---------------------------------------------------------

REQUEST_TIMEOUT_MS = 30_000


def timers(quick: bool) -> Result:
    """N request/reply round trips on 127.0.0.1, one at a time, each guarded by
    a set_timeout(REQUEST_TIMEOUT_MS) cleared by the reply, with a
    set_interval and a set_immediate made and cleared alongside, as a daemon
    does.  Python blocks and RSS between 10 % and 100 % must stay flat (Node's
    are), no timeout may fire, every reply must come."""
    count = 20_000 if quick else 200_000
    result = Result('timers')
    fd_before = Snapshot.take().fds
    server = dgram.create_socket('udp4')
    client = dgram.create_socket('udp4')
    st: dict[str, Any] = {'done': 0, 'fired': 0, 'guard': None, 'base': None, 'end': None}

    def on_timeout() -> None:
        st['fired'] += 1
        request()

    def request() -> None:
        if st['done'] == count // 10 and st['base'] is None:
            st['base'] = Snapshot.take()
        if st['done'] == count:
            st['end'] = Snapshot.take()
            client.close()
            server.close()
            return
        st['guard'] = dgram.set_timeout(on_timeout, REQUEST_TIMEOUT_MS)
        dgram.clear_interval(dgram.set_interval(on_timeout, REQUEST_TIMEOUT_MS * 2))
        dgram.clear_immediate(dgram.set_immediate(on_timeout))
        client.send(b'%d' % st['done'])

    def on_reply(msg: bytes, rinfo: Any) -> None:
        if int(msg) != st['done']:
            return
        dgram.clear_timeout(st['guard'])
        st['done'] += 1
        request()

    server.on('message', lambda msg, rinfo: server.send(msg, rinfo.port, rinfo.address))
    client.on('message', on_reply)
    server.bind(0, HOST, lambda: client.connect(server.address().port, HOST, request))
    dgram.run()
    fd_after = Snapshot.take().fds
    result.figures.update(requests=st['done'], timeouts_fired=st['fired'])
    result.check(st['done'] == count, f'{st["done"]} of {count} requests answered')
    result.check(st['fired'] == 0, f'{st["fired"]} cleared timers fired')
    if st['base'] is not None and st['end'] is not None:
        check_drift(result, st['base'], st['end'], fds=False)
    result.figures['fd_drift'] = fd_after - fd_before
    result.check(fd_after == fd_before, f'{fd_after - fd_before} file descriptors leaked')
    return result


PROBES = {'exceptions': exceptions, 'timers': timers}

if __name__ == '__main__':
    main(PROBES)
