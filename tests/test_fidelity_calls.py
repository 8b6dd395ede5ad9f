"""The edges of dgram_uv's calls where it once answered as Python or as
pyuv does, against Node v23.5.0 (JS/Python twins, tests/fidelity_twins.py):
validation order (class 3 of the fidelity issue), no Python arity or
attribute error from the API (4), sends on a socket connected to port 0 (5),
``event_names`` order (7), libuv's own address and flag checks (8).

Multicast groups appear only in calls that fail before any join (a bad
source, group or interface); every socket stays on loopback.
"""

from __future__ import annotations

from fidelity_twins import Env, Twin, comparison_tests, registrar

import dgram_uv as dgram

TWINS: list[Twin] = []
twin = registrar(TWINS)


# --- 3. validation order -----------------------------------------------------------

@twin('closed-socket-validation-order', """
const s = env.mk('udp4');
s.close();
env.t('setTTL bad', () => s.setTTL('x'));
env.t('setTTL', () => s.setTTL(64));
env.t('setMulticastInterface', () => s.setMulticastInterface(5));
env.t('addSourceSpecificMembership', () => s.addSourceSpecificMembership(5, 5));
env.t('setRecvBufferSize bad', () => s.setRecvBufferSize(-1));
env.t('setRecvBufferSize', () => s.setRecvBufferSize(4096));
env.t('send bad port', () => s.send('x', 0));
env.t('connect bad port', () => s.connect(0));
env.t('bind', () => s.bind(0));
env.t('getSendQueueCount', () => s.getSendQueueCount());
env.t('setBroadcast', () => s.setBroadcast(true));""")
def _closed_order(env: Env) -> None:
    s = env.mk('udp4')
    s.close()
    env.t('setTTL bad', lambda: s.set_ttl('x'))
    env.t('setTTL', lambda: s.set_ttl(64))
    env.t('setMulticastInterface', lambda: s.set_multicast_interface(5))
    env.t('addSourceSpecificMembership', lambda: s.add_source_specific_membership(5, 5))
    env.t('setRecvBufferSize bad', lambda: s.set_recv_buffer_size(-1))
    env.t('setRecvBufferSize', lambda: s.set_recv_buffer_size(4096))
    env.t('send bad port', lambda: s.send('x', 0))
    env.t('connect bad port', lambda: s.connect(0))
    env.t('bind', lambda: s.bind(0))
    env.t('getSendQueueCount', lambda: s.get_send_queue_count())
    env.t('setBroadcast', lambda: s.set_broadcast(True))


@twin('unbound-socket-validation-order', """
const s = env.mk('udp4');
env.t('ssm source', () => s.addSourceSpecificMembership(5, '224.0.0.114'));
env.t('ssm group', () => s.addSourceSpecificMembership('127.0.0.1', 5));
env.t('setRecvBufferSize int32', () => s.setRecvBufferSize(2 ** 31));
env.t('setRecvBufferSize', () => s.setRecvBufferSize(4096));
env.t('getSendBufferSize', () => s.getSendBufferSize());
env.t('connect twice', () => { s.connect(9, '127.0.0.1'); s.connect(1.5); });""")
def _unbound_order(env: Env) -> None:
    s = env.mk('udp4')
    env.t('ssm source', lambda: s.add_source_specific_membership(5, '224.0.0.114'))
    env.t('ssm group', lambda: s.add_source_specific_membership('127.0.0.1', 5))
    env.t('setRecvBufferSize int32', lambda: s.set_recv_buffer_size(2 ** 31))
    env.t('setRecvBufferSize', lambda: s.set_recv_buffer_size(4096))
    env.t('getSendBufferSize', lambda: s.get_send_buffer_size())
    env.t('connect twice', lambda: (s.connect(9, '127.0.0.1'), s.connect(1.5)))


# --- 4. no Python arity or attribute errors ------------------------------------------

@twin('blocklist-missing-arguments', """
const b = new BlockList();
env.t('check', () => b.check());
env.t('addAddress', () => b.addAddress());
env.t('addRange', () => b.addRange());
env.t('addRange end', () => b.addRange('10.0.0.1'));
env.t('addSubnet', () => b.addSubnet());
env.t('addSubnet prefix', () => b.addSubnet('10.0.0.0'));
env.t('isBlockList', () => BlockList.isBlockList());""")
def _blocklist_missing(env: Env) -> None:
    b = dgram.BlockList()
    env.t('check', lambda: b.check())
    env.t('addAddress', lambda: b.add_address())
    env.t('addRange', lambda: b.add_range())
    env.t('addRange end', lambda: b.add_range('10.0.0.1'))
    env.t('addSubnet', lambda: b.add_subnet())
    env.t('addSubnet prefix', lambda: b.add_subnet('10.0.0.0'))
    env.t('isBlockList', lambda: dgram.BlockList.is_block_list())


@twin('socket-extra-and-missing-arguments', """
const s = env.mk('udp4');
env.t('listenerCount', () => s.listenerCount());
env.t('eventNames', () => s.eventNames(1));
env.t('address', () => s.address(1));
env.t('remoteAddress', () => s.remoteAddress(1));
env.t('disconnect', () => s.disconnect(1));
env.t('setTTL', () => s.setTTL(64, 1));
env.t('getRecvBufferSize', () => s.getRecvBufferSize(1));
env.t('setMulticastLoopback', () => s.setMulticastLoopback(true, 1));
env.t('dropMembership', () => s.dropMembership(undefined, undefined, 1));
env.t('addSourceSpecificMembership', () => s.addSourceSpecificMembership(1, 2, 3, 4));
env.t('ref', () => s.ref(1));
env.t('close', () => s.close(undefined, 1));""")
def _extra_arguments(env: Env) -> None:
    s = env.mk('udp4')
    env.t('listenerCount', lambda: s.listener_count())
    env.t('eventNames', lambda: s.event_names(1))
    env.t('address', lambda: s.address(1))
    env.t('remoteAddress', lambda: s.remote_address(1))
    env.t('disconnect', lambda: s.disconnect(1))
    env.t('setTTL', lambda: s.set_ttl(64, 1))
    env.t('getRecvBufferSize', lambda: s.get_recv_buffer_size(1))
    env.t('setMulticastLoopback', lambda: s.set_multicast_loopback(True, 1))
    env.t('dropMembership', lambda: s.drop_membership(None, None, 1))
    env.t('addSourceSpecificMembership', lambda: s.add_source_specific_membership(1, 2, 3, 4))
    env.t('ref', lambda: s.ref(1))
    env.t('close', lambda: s.close(None, 1))


@twin('unhashable-event-names-are-strings', """
const s = env.mk('udp4');
env.t('listenerCount', () => s.listenerCount({}));
s.on([1, 2], env.fn('listener'));
env.t('emit', () => s.emit('1,2', 'x'));
env.t('emit list', () => s.emit([1, 2], 'y'));
env.t('eventNames', () => s.eventNames());""")
def _unhashable_events(env: Env) -> None:
    s = env.mk('udp4')
    env.t('listenerCount', lambda: s.listener_count({}))
    s.on([1, 2], env.fn('listener'))
    env.t('emit', lambda: s.emit('1,2', 'x'))
    env.t('emit list', lambda: s.emit([1, 2], 'y'))
    env.t('eventNames', lambda: s.event_names())


@twin('falsy-block-lists-are-none', """
const r = env.mk({ type: 'udp4', receiveBlockList: 0, sendBlockList: '' });
r.on('message', (msg) => env.note('message', msg));
r.bind(0, '127.0.0.1', () => {
  r.send('to self', r.address().port, '127.0.0.1', env.fn('sent'));
  r.connect(r.address().port, '127.0.0.1', env.fn('connected'));
});""")
def _falsy_block_lists(env: Env) -> None:
    r = env.mk({'type': 'udp4', 'receiveBlockList': 0, 'sendBlockList': ''})
    r.on('message', lambda msg, rinfo: env.note('message', msg))

    def listening() -> None:
        r.send('to self', r.address().port, '127.0.0.1', env.fn('sent'))
        r.connect(r.address().port, '127.0.0.1', env.fn('connected'))
    r.bind(0, '127.0.0.1', listening)


# --- 5. a socket connected to port 0 ----------------------------------------------------

@twin('send-connected-to-port-0', """
const s = env.mk('udp4');
s.connect('0', '127.0.0.1', () => {
  env.t('remoteAddress', () => s.remoteAddress());
  s.send('hi', env.fn('sent'));
});""")
def _connected_port_0(env: Env) -> None:
    s = env.mk('udp4')

    def connected() -> None:
        env.t('remoteAddress', lambda: s.remote_address())
        s.send('hi', env.fn('sent'))
    s.connect('0', '127.0.0.1', connected)


# --- 7. event_names order ------------------------------------------------------------------

@twin('event-names-strings-before-symbols', """
const s = env.mk('udp4');
s.send('x', 9, '127.0.0.1');
for (const name of ['b', '2', '1', 'a']) s.on(name, () => {});
env.t('eventNames', () => s.eventNames());
const e = env.mk('udp4');
e.on(events.errorMonitor, () => {});
for (const name of ['b', '2', '1', 'a']) e.on(name, () => {});
e.on('removeListener', (name) => env.note('removed', name));
env.t('removeAllListeners', () => { e.removeAllListeners(); return e.eventNames(); });""")
def _event_names(env: Env) -> None:
    s = env.mk('udp4')
    s.send('x', 9, '127.0.0.1')
    for name in ('b', '2', '1', 'a'):
        s.on(name, lambda: None)
    env.t('eventNames', lambda: s.event_names())
    e = env.mk('udp4')
    e.on(dgram.Socket.error_monitor, lambda err: None)
    for name in ('b', '2', '1', 'a'):
        e.on(name, lambda: None)
    e.on('removeListener', lambda name, listener: env.note('removed', name))
    env.t('removeAllListeners', lambda: (e.remove_all_listeners(), e.event_names())[1])


# --- 8. libuv's own checks ------------------------------------------------------------------

SSM = [('numeric-source', "'1234', '224.0.0.114'", ('1234', '224.0.0.114')),
       ('short-source', "'127.1', '239.255.0.1'", ('127.1', '239.255.0.1')),
       ('mapped-source', "'::ffff:127.0.0.1', '239.255.0.1'", ('::ffff:127.0.0.1', '239.255.0.1')),
       ('v4-source-v6-group', "'10.0.0.1', 'ff02::1'", ('10.0.0.1', 'ff02::1')),
       ('empty', "'', '', ''", ('', '', ''))]
for _label, _js, _args in SSM:
    @twin(f'source-membership-{_label}-leaves-unbound', f"""
const s = env.mk('udp6');
env.t('add', () => s.addSourceSpecificMembership({_js}));
env.t('drop', () => s.dropSourceSpecificMembership({_js}));
env.t('address', () => s.address());
env.t('setTTL', () => s.setTTL(64));
env.t('setRecvBufferSize', () => s.setRecvBufferSize(4096));""")
    def _ssm(env: Env, args: tuple[str, ...] = _args) -> None:
        s = env.mk('udp6')
        env.t('add', lambda: s.add_source_specific_membership(*args))
        env.t('drop', lambda: s.drop_source_specific_membership(*args))
        env.t('address', lambda: s.address())
        env.t('setTTL', lambda: s.set_ttl(64))
        env.t('setRecvBufferSize', lambda: s.set_recv_buffer_size(4096))


@twin('source-membership-bad-interface-binds', """
const s = env.mk('udp4');
env.t('add', () => s.addSourceSpecificMembership('127.0.0.1', '232.1.1.1', 'bogus'));
env.t('family', () => s.address().family);""")
def _ssm_bad_interface(env: Env) -> None:
    s = env.mk('udp4')
    env.t('add', lambda: s.add_source_specific_membership('127.0.0.1', '232.1.1.1', 'bogus'))
    env.t('family', lambda: s.address().family)


@twin('reuseport-ipv6only-on-udp4', """
const s = env.mk({ type: 'udp4', reusePort: true, ipv6Only: true }); s.bind(0);""")
def _reuseport_ipv6only(env: Env) -> None:
    s = env.mk({'type': 'udp4', 'reusePort': True, 'ipv6Only': True})
    s.bind(0)


@twin('reuseport-bind-after-implicit-bind', """
const s = env.mk({ type: 'udp4', reusePort: true });
env.t('add', () => s.addSourceSpecificMembership('127.0.0.1', '232.1.1.1', 'bogus'));
s.bind(0, '127.0.0.1');""")
def _reuseport_after_implicit(env: Env) -> None:
    s = env.mk({'type': 'udp4', 'reusePort': True})
    env.t('add', lambda: s.add_source_specific_membership('127.0.0.1', '232.1.1.1', 'bogus'))
    s.bind(0, '127.0.0.1')


@twin('reuseport-implicit-ipv6-socket-then-ipv4-bind', """
const s = env.mk({ type: 'udp4', reusePort: 'x' });
env.t('add', () => s.addSourceSpecificMembership('::1', 'ff05::1', 'bogus'));
s.send('x', 9);""")
def _reuseport_family(env: Env) -> None:
    # libuv binds an IPv6 socket for the IPv6 group; a later IPv4 bind(2) on
    # it is the kernel's EINVAL.
    s = env.mk({'type': 'udp4', 'reusePort': 'x'})
    env.t('add', lambda: s.add_source_specific_membership('::1', 'ff05::1', 'bogus'))
    s.send('x', 9)


# --- the comparison -------------------------------------------------------------------------

node_records, test_twin_matches_node = comparison_tests(TWINS)


def test_twins_have_unique_names() -> None:
    from test_fidelity import TWINS as VALUE_TWINS
    names = [name for name, _, _ in TWINS + VALUE_TWINS]
    assert len(names) == len(set(names))
