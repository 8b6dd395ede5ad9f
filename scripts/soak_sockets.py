"""Soak probes of socket lifetimes: ``churn`` and ``emfile``.

``python scripts/soak_sockets.py PROBE [--quick]``; see scripts/soak_run.py.
"""

from __future__ import annotations

import json
import resource
import subprocess
from typing import Any

from soak_common import Result, Snapshot, check_drift, fd_count, main, node

import dgram_uv as dgram

HOST = '127.0.0.1'


# --- churn ----------------------------------------------------------------------------

CHURN_BATCH = 50   # sockets alive at once


def _has_ipv6() -> bool:
    import socket
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as probe:
            probe.bind(('::1', 0))
    except OSError:
        return False
    return True


def churn(quick: bool) -> Result:
    """N sockets created and closed, CHURN_BATCH at a time, in four kinds:
    bound then one datagram sent to a sink then closed; never bound; closed
    while binding; udp6 bound on ::1 then closed.  Each close callback is
    called once, 'listening' once for the bound kinds and never for the
    others, the sink gets every datagram; fds return to where they were;
    RSS and Python blocks are compared between 10 % and 100 %."""
    total = 10_000 if quick else 100_000
    result = Result('churn')
    ipv6 = _has_ipv6()
    fd_before = Snapshot.take().fds
    sink = dgram.create_socket('udp4')
    state: dict[str, Any] = {'made': 0, 'closed': 0, 'listening': 0, 'sunk': 0, 'sent': 0,
                             'bad': [], 'base': None, 'end': None, 'open': 0,
                             'expected_listening': 0}

    def on_sink(msg: bytes, rinfo: Any) -> None:
        state['sunk'] += 1
        maybe_next()

    def bad(why: str) -> None:
        if len(state['bad']) < 5:
            state['bad'].append(why)

    def one(kind: int) -> None:
        udp6 = kind == 3 and ipv6
        sock = dgram.create_socket('udp6' if udp6 else 'udp4')
        state['made'] += 1
        state['open'] += 1
        calls = {'close': 0, 'listening': 0}

        def on_close() -> None:
            calls['close'] += 1
            state['closed'] += 1
            state['open'] -= 1
            if calls['close'] != 1:
                bad(f'socket #{state["made"]}: close callback {calls["close"]} times')
            # Later events would show in the counts checked at the end.
            dgram.next_tick(maybe_next)

        def on_listening() -> None:
            calls['listening'] += 1
            state['listening'] += 1
            if kind == 0:
                state['sent'] += 1

                def on_sent(err: Any, *_: Any) -> None:
                    if err is not None:
                        bad(f'send: {err}')
                    sock.close(on_close)
                sock.send(b'churn', sink.address().port, HOST, on_sent)
            else:
                sock.close(on_close)

        if kind in (0, 3):
            state['expected_listening'] += 1
            sock.bind(0, '::1' if udp6 else HOST, on_listening)
        elif kind == 1:
            sock.close(on_close)
        else:
            sock.on('listening', lambda: bad('listening after close during bind'))
            sock.bind(0, HOST)
            sock.close(on_close)

    def batch() -> None:
        for _ in range(min(CHURN_BATCH, total - state['made'])):
            one(state['made'] % 4)

    def maybe_next() -> None:
        if state['open'] or state['sunk'] < state['sent']:
            return
        if state['made'] >= total // 10 and state['base'] is None:
            state['base'] = Snapshot.take()
        if state['made'] < total:
            batch()
        elif state['end'] is None:
            state['end'] = Snapshot.take()
            sink.close()

    sink.on('message', on_sink)
    sink.bind(0, HOST, batch)
    dgram.run()
    fd_after = Snapshot.take().fds
    result.figures.update(sockets=state['made'], closed=state['closed'],
                          listening=state['listening'], datagrams=state['sunk'])
    if not ipv6:
        result.figures['udp6'] = 'no ::1 (udp4 instead)'
    result.failures.extend(state['bad'])
    result.check(state['made'] == total and state['closed'] == total,
                 f'{state["made"]} made, {state["closed"]} closed of {total}')
    result.check(state['listening'] == state['expected_listening'],
                 f'{state["listening"]} listening events, {state["expected_listening"]} expected')
    result.check(state['sunk'] == state['sent'],
                 f'{state["sent"]} datagrams sent, {state["sunk"]} arrived')
    if state['base'] is not None and state['end'] is not None:
        check_drift(result, state['base'], state['end'], fds=False)
    result.figures['fd_drift'] = fd_after - fd_before
    result.check(fd_after == fd_before, f'{fd_after - fd_before} file descriptors leaked')
    return result


# --- EMFILE and recovery ----------------------------------------------------------------

EMFILE_HEADROOM = 40   # descriptors left to the process above what it holds at start
EMFILE_FREE = 5        # sockets closed to recover

# The same program for Node and dgram_uv: exhaust fds by binding sockets; then,
# while exhausted, an implicit bind (send) and a hostname bind; then free
# EMFILE_FREE sockets, bind both failed sockets again and pass a datagram
# through a socket bound after recovery, addressed by name.
_NODE_EMFILE = """
const dgram = require('dgram');
const free = Number(process.argv[1]);
const socks = [], out = {events: []};
const ev = (...a) => out.events.push(a);
const shape = (e) => [e.code, e.syscall, e.message, e.address === undefined ? null : e.address,
                      e.port === undefined ? null : e.port];
function next() {
  const s = dgram.createSocket('udp4');
  socks.push(s);
  s.once('error', (err) => {
    socks.pop();
    ev('bind-error', ...shape(err));
    const t = dgram.createSocket('udp4');
    t.on('error', (e) => ev('send-error', ...shape(e)));
    t.send('x', 9, '127.0.0.1', (e) => ev('send-callback', e ? e.code : null));
    const u = dgram.createSocket('udp4');
    u.once('error', (e) => ev('lookup-error', ...shape(e)));
    u.bind(0, 'localhost', () => ev('lookup-listening'));
    setTimeout(() => recover(s, t, u), 200);
  });
  s.bind(0, '127.0.0.1', next);
}
function recover(s, t, u) {
  for (let i = 0; i < free; i++) socks.shift().close();
  let pending = 3;
  const done = () => {
    if (--pending) return;
    for (const x of [...socks, s, t, u, r, w]) x.close();
    console.log(JSON.stringify(out));
  };
  s.bind(0, '127.0.0.1', () => { ev('rebind-listening'); done(); });
  u.bind(0, 'localhost', () => { ev('relookup-listening'); done(); });
  const r = dgram.createSocket('udp4'), w = dgram.createSocket('udp4');
  r.on('message', (m) => { ev('recovered', m.toString()); done(); });
  r.bind(0, '127.0.0.1', () => w.send('back', r.address().port, 'localhost'));
}
next();
"""


def _emfile_cycle(free: int, report: Any) -> None:
    """dgram_uv's run of _NODE_EMFILE's program; ``report(out)`` at its end."""
    socks: list[Any] = []
    out: dict[str, Any] = {'events': []}

    def ev(*args: Any) -> None:
        out['events'].append(list(args))

    def shape(e: Any) -> list[Any]:
        return [getattr(e, 'code', repr(e)), getattr(e, 'syscall', None), str(e),
                getattr(e, 'address', None), getattr(e, 'port', None)]

    def recover(s: Any, t: Any, u: Any) -> None:
        for _ in range(free):
            socks.pop(0).close()
        pending = [3]
        r = dgram.create_socket('udp4')
        w = dgram.create_socket('udp4')

        def done() -> None:
            pending[0] -= 1
            if pending[0]:
                return
            for x in [*socks, s, t, u, r, w]:
                x.close()
            report(out)

        def bind_again(sock: Any, host: str, name: str) -> None:
            def on_listening() -> None:
                ev(name)
                done()
            try:
                sock.bind(0, host, on_listening)
            except Exception as e:
                ev(name.replace('listening', 'raised'), *shape(e))
                done()

        bind_again(s, HOST, 'rebind-listening')
        bind_again(u, 'localhost', 'relookup-listening')
        def on_message(msg: bytes, _: Any) -> None:
            ev('recovered', msg.decode())
            done()
        r.on('message', on_message)
        r.bind(0, HOST, lambda: w.send('back', r.address().port, 'localhost'))

    def next_socket() -> None:
        s = dgram.create_socket('udp4')
        socks.append(s)

        def on_error(err: Any) -> None:
            socks.pop()
            ev('bind-error', *shape(err))
            t = dgram.create_socket('udp4')
            t.on('error', lambda e: ev('send-error', *shape(e)))
            t.send('x', 9, HOST, lambda e, *_: ev('send-callback', getattr(e, 'code', None)))
            u = dgram.create_socket('udp4')
            u.once('error', lambda e: ev('lookup-error', *shape(e)))
            try:
                u.bind(0, 'localhost', lambda: ev('lookup-listening'))
            except Exception as e:
                ev('lookup-raised', *shape(e))
            dgram.set_timeout(recover, 200, s, t, u)
        s.once('error', on_error)
        s.bind(0, HOST, next_socket)
    next_socket()


def emfile(quick: bool) -> Result:
    """Under RLIMIT_NOFILE (soft and hard) of the fds held + EMFILE_HEADROOM:
    bind until EMFILE; an implicit bind and a hostname bind while exhausted;
    then close EMFILE_FREE sockets: both failed sockets bind again and a new
    one passes a datagram.  The events (codes, syscalls, messages, addresses)
    must equal the Node oracle's under the same limit; repeated cycles must
    leave the fds where they were."""
    cycles = 3 if quick else 50
    result = Result('emfile')
    fd_before = fd_count()
    limit = fd_before + EMFILE_HEADROOM
    # The hard limit too: Node raises its soft limit to the hard one at start-up.
    try:
        node_run = node(_NODE_EMFILE, str(EMFILE_FREE),
                        preexec=lambda: resource.setrlimit(resource.RLIMIT_NOFILE,
                                                           (limit, limit)))
    except (RuntimeError, ValueError, subprocess.TimeoutExpired) as err:
        node_run = {'events': []}
        result.failures.append(f'node oracle: {err}')
    expected = sorted(map(json.dumps, node_run['events']))
    resource.setrlimit(resource.RLIMIT_NOFILE, (limit, limit))
    # Each cycle is compared at once; only the first difference is kept, so the
    # probe's own records do not grow the memory it measures.
    st: dict[str, Any] = {'done': 0, 'like_node': 0, 'first': None, 'diff': None}

    def report(out: dict[str, Any]) -> None:
        st['done'] += 1
        if st['first'] is None:
            st['first'] = out['events']
        if sorted(map(json.dumps, out['events'])) == expected:
            st['like_node'] += 1
        elif st['diff'] is None:
            st['diff'] = out['events']

    base: Snapshot | None = None
    for cycle in range(cycles):
        _emfile_cycle(EMFILE_FREE, report)
        try:
            dgram.run()
        except Exception as err:
            result.failures.append(f'cycle {cycle}: run() raised {err!r}')
            break
        if cycle == 0:
            base = Snapshot.take()
    end = Snapshot.take()
    fd_after = end.fds
    bind_error = next((e for e in (st['first'] or []) if e[0] == 'bind-error'), None)
    result.figures.update(limit=limit, cycles=st['done'],
                          error=f'"{bind_error[3]}"' if bind_error else '-',
                          like_node=f'{st["like_node"]}/{st["done"]}')
    result.check(st['done'] == cycles, f'{st["done"]} of {cycles} cycles completed')
    if st['diff'] is not None:
        ours = {tuple(e) for e in st['diff']}
        theirs = {tuple(e) for e in node_run['events']}
        result.failures.append(f'events differ from Node: dgram_uv only {sorted(ours - theirs)}; '
                               f'Node only {sorted(theirs - ours)}')
    if base is not None:
        check_drift(result, base, end, fds=False)
    result.figures['fd_drift'] = fd_after - fd_before
    result.check(fd_after == fd_before, f'{fd_after - fd_before} file descriptors leaked')
    return result


PROBES = {'churn': churn, 'emfile': emfile}

if __name__ == '__main__':
    main(PROBES)
