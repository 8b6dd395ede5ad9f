"""Cases: random sequences of calls on dgram's API, reproducible from (seed, index).

A case is JSON: ``{'id': index, 'seed': seed, 'steps': [...]}``, each step one of

* ``{'op': 'create', 'var': 's0', 'args': [...], 'kw': bool}``: ``dgram.createSocket``
  (``kw``: the Python twin passes the options as keywords);
* ``{'op': 'new', 'var': 'b0', 'cls': 'BlockList' | 'AbortController'}``;
* ``{'op': 'call', 'target': 's0', 'method': 'bind', 'args': [...]}`` (Node's name);
* ``{'op': 'get', 'target': 'b0', 'prop': 'rules'}``;
* ``{'op': 'static', 'cls': 'BlockList', 'method': 'isBlockList', 'args': [...]}``;
* ``{'op': 'settle'}``: let the loop run until the pending callbacks and events came.

Every case ends by closing each socket and settling.  Case ``i`` of seed ``n``
depends on nothing else, so ``--cases 100`` is a prefix of ``--cases 3000``.
"""

from __future__ import annotations

import random
from typing import Any

from . import pools
from .safety import DESTINATION_POSITIONS, SAFE_DESTINATIONS
from .values import NULL, U, Value, arr, lookup, num, obj, s, signal, var

Step = dict[str, Any]
Case = dict[str, Any]

SOCKET_OPTIONS = ('type', 'reuseAddr', 'reusePort', 'ipv6Only', 'recvBufferSize',
                  'sendBufferSize', 'lookup', 'signal', 'receiveBlockList', 'sendBlockList')

# Socket methods and how often a case calls them.
METHODS: dict[str, int] = {
    'bind': 12, 'send': 14, 'connect': 6, 'close': 3, 'disconnect': 2, 'address': 3,
    'remoteAddress': 2, 'setTTL': 2, 'setBroadcast': 2, 'setMulticastTTL': 2,
    'setMulticastLoopback': 2, 'setMulticastInterface': 2, 'addMembership': 2,
    'dropMembership': 1, 'addSourceSpecificMembership': 2, 'dropSourceSpecificMembership': 1,
    'setRecvBufferSize': 2, 'setSendBufferSize': 2, 'getRecvBufferSize': 1,
    'getSendBufferSize': 1, 'getSendQueueSize': 1, 'getSendQueueCount': 1, 'ref': 1,
    'unref': 1, 'eventNames': 1, 'listenerCount': 1,
}

# The roles of each method's arguments (send and bind have forms of their own).
SIGNATURES: dict[str, tuple[str, ...]] = {
    'connect': ('port', 'destination', 'callback'), 'close': ('callback',),
    'setTTL': ('ttl',), 'setMulticastTTL': ('ttl',), 'setBroadcast': ('boolish',),
    'setMulticastLoopback': ('boolish',), 'setMulticastInterface': ('interface',),
    'addMembership': ('group', 'interface'), 'dropMembership': ('group', 'interface'),
    'addSourceSpecificMembership': ('source', 'group', 'interface'),
    'dropSourceSpecificMembership': ('source', 'group', 'interface'),
    'setRecvBufferSize': ('size',), 'setSendBufferSize': ('size',),
    'listenerCount': ('event',),
}

SEND_FORMS: list[tuple[str, ...]] = [
    ('message', 'port', 'destination', 'callback'), ('message', 'port', 'destination'),
    ('message', 'port', 'destination', 'callback'), ('message', 'port', 'callback'),
    ('message', 'port'), ('message', 'offset', 'offset', 'port', 'destination', 'callback'),
    ('message', 'offset', 'offset', 'port', 'destination'),
    ('message', 'offset', 'offset', 'port', 'callback'), ('message', 'callback'), ('message',),
    ('message', 'offset', 'offset', 'callback'), ('message', 'offset', 'offset'), (),
]

LOOPBACK = {'udp4': '127.0.0.1', 'udp6': '::1'}


class Generator:
    """Draws one case; ``rng`` decides everything."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.types: dict[str, str | None] = {}   # socket var -> 'udp4'/'udp6' if known
        self.bound_ports: list[int] = []
        self.block_lists: list[str] = []
        self.controllers: list[str] = []
        self.lookups = 0

    # --- values -----------------------------------------------------------------------
    def pick(self, pool: list[Value]) -> Value:
        return self.rng.choice(pool)

    def value(self, role: str, sock: str | None = None) -> Value:
        """A value for ``role``: mostly from its pool, sometimes anything."""
        r = self.rng.random()
        if r < 0.12:
            return self.pick(pools.ANY)
        if r < 0.16:
            return self.structure(2)
        kind = self.types.get(sock or '')
        if role == 'port' and self.bound_ports and self.rng.random() < 0.35:
            return num(self.rng.choice(self.bound_ports))
        if role in ('destination', 'bind_address') and kind and self.rng.random() < 0.4:
            return s(LOOPBACK[kind])
        return self.pick(pools.ROLES[role])

    def structure(self, depth: int) -> Value:
        """A random array or object of pool values."""
        size = self.rng.choice([0, 1, 1, 2])
        items = [self.pick(pools.ANY) if depth <= 1 or self.rng.random() < 0.8
                 else self.structure(depth - 1) for _ in range(size)]
        if self.rng.random() < 0.5:
            return arr(*items, tuple_=self.rng.random() < 0.2)
        keys = self.rng.sample(['port', 'address', 'type', 'x', '0', 'length'], size)
        return obj(*zip(keys, items, strict=True))

    def member(self, role_value: Value) -> Value | None:
        """A mapping member: None drops it (JS undefined), sometimes JS null."""
        if role_value['t'] == 'u':
            return None
        return NULL if self.rng.random() < 0.06 else role_value

    # --- steps ------------------------------------------------------------------------
    def create(self, name: str) -> Step:
        rng = self.rng
        args: list[Value]
        kind: str | None = None
        kw = False
        if rng.random() < 0.45:
            t = self.value('type')
            args = [t]
        else:
            members: list[tuple[str, Value]] = []
            t = self.value('type') if rng.random() < 0.92 else U
            for key in SOCKET_OPTIONS:
                value = t if key == 'type' else (
                    self.option_value(key) if rng.random() < 0.22 else U)
                member = self.member(value)
                if member is not None:
                    members.append((key, member))
            if rng.random() < 0.05:
                members.append(('foo', self.pick(pools.ANY)))
            args = [obj(*members)]
            kw = rng.random() < 0.25 and all(k in SOCKET_OPTIONS for k, _ in members)
        if t['t'] == 's' and t['v'] in LOOPBACK:
            kind = t['v']
        if rng.random() < 0.15:
            args.append(self.value('callback'))
        self.types[name] = kind
        return {'op': 'create', 'var': name, 'args': args, 'kw': kw}

    def option_value(self, key: str) -> Value:
        rng = self.rng
        if key in ('reuseAddr', 'reusePort', 'ipv6Only'):
            return self.value('boolish')
        if key in ('recvBufferSize', 'sendBufferSize'):
            return self.value('size')
        if key == 'lookup':
            if rng.random() < 0.8:
                self.lookups += 1
                ip = rng.choice(['127.0.0.1', '127.0.0.1', '::1', 'not-an-ip', ''])
                return lookup(f'lk{self.lookups}', rng.choice(['sync', 'tick', 'tick', 'error']),
                              ip, 6 if ':' in ip else 4)
            return self.pick([num(5), s('x'), obj(), pools.CALLBACK[0]])
        if key == 'signal':
            if self.controllers and rng.random() < 0.5:
                return signal(rng.choice(self.controllers))
            return self.pick(pools.SIGNAL)
        if key in ('receiveBlockList', 'sendBlockList'):
            if self.block_lists and rng.random() < 0.6:
                return var(rng.choice(self.block_lists))
            return self.pick(pools.BLOCK_LIST_VALUE)
        return self.pick(pools.ANY)

    def bind_args(self, sock: str) -> list[Value]:
        rng = self.rng
        r = rng.random()
        if r < 0.55:
            port = self.value('port', sock)
            args = [port, self.value('bind_address', sock)]
            if port['t'] == 'n' and port['v'] in {str(p) for p in pools.FIXED_PORTS}:
                self.bound_ports.append(int(port['v']))
            if rng.random() < 0.5:
                args.append(self.value('callback'))
            return self.trim(args)
        if r < 0.8:
            members = [(k, self.member(self.value(role, sock))) for k, role in
                       (('port', 'port'), ('address', 'bind_address'), ('exclusive', 'boolish'))
                       if rng.random() < 0.6]
            if rng.random() < 0.08:
                members.append(('fd', self.member(self.pick(pools.FD))))
            options = obj(*[(k, v) for k, v in members if v is not None])
            return [options, self.value('callback')] if rng.random() < 0.5 else [options]
        if r < 0.9:
            return [self.value('callback')]
        return [self.value('port', sock), self.structure(1)] if rng.random() < 0.5 else []

    def trim(self, args: list[Value]) -> list[Value]:
        """Sometimes drop trailing undefined arguments (JS: fewer arguments)."""
        while args and args[-1]['t'] == 'u' and self.rng.random() < 0.7:
            args.pop()
        return args

    def call(self, sock: str) -> Step:
        rng = self.rng
        method = rng.choices(list(METHODS), weights=list(METHODS.values()))[0]
        if method == 'bind':
            args = self.bind_args(sock)
        elif method == 'send':
            args = [self.value(role, sock) for role in rng.choice(SEND_FORMS)]
        else:
            roles = SIGNATURES.get(method, ())
            count = len(roles) if rng.random() < 0.75 else rng.randint(0, len(roles))
            args = self.trim([self.value(role, sock) for role in roles[:count]])
            if rng.random() < 0.03:
                args.append(self.pick(pools.ANY))
        return {'op': 'call', 'target': sock, 'method': method, 'args': make_safe(method, args)}

    def block_list_step(self, name: str) -> Step:
        rng = self.rng
        method = rng.choice(['addAddress', 'addAddress', 'addRange', 'addSubnet', 'check',
                             'check', 'check', 'rules', 'isBlockList'])
        if method == 'rules':
            return {'op': 'get', 'target': name, 'prop': 'rules'}
        if method == 'isBlockList':
            value = var(name) if rng.random() < 0.5 else self.pick(pools.ANY)
            return {'op': 'static', 'cls': 'BlockList', 'method': 'isBlockList', 'args': [value]}
        roles = {'addAddress': ('bl_address', 'family'), 'addRange': ('bl_address', 'bl_address',
                 'family'), 'addSubnet': ('bl_address', 'prefix', 'family'),
                 'check': ('bl_address', 'family')}[method]
        count = len(roles) - (rng.random() < 0.4)
        if rng.random() < 0.05:
            count = rng.randint(0, len(roles))
        args = self.trim([self.value(role) for role in roles[:count]])
        return {'op': 'call', 'target': name, 'method': method, 'args': args}


def make_safe(method: str, args: list[Value]) -> list[Value]:
    """Replace a string that is not a loopback destination where send/connect read one."""
    out = list(args)
    for index in DESTINATION_POSITIONS.get(method, ()):
        if index < len(out) and out[index]['t'] == 's' and \
                out[index]['v'] not in SAFE_DESTINATIONS:
            out[index] = s('127.0.0.1')
    return out


def generate_case(seed: int, index: int) -> Case:
    """Case ``index`` of ``seed``."""
    rng = random.Random(f'dgram-fuzz:{seed}:{index}')
    g = Generator(rng)
    steps: list[Step] = []
    for i in range(rng.choice([0, 0, 0, 1, 1, 2])):
        name = f'b{i}'
        g.block_lists.append(name)
        steps.append({'op': 'new', 'var': name, 'cls': 'BlockList'})
        steps.extend(g.block_list_step(name) for _ in range(rng.randint(0, 3)))
    if rng.random() < 0.2:
        g.controllers.append('c0')
        steps.append({'op': 'new', 'var': 'c0', 'cls': 'AbortController'})
    sockets = [f's{i}' for i in range(rng.choice([1, 1, 2, 2, 3]))]
    for name in sockets:
        steps.append(g.create(name))
    for _ in range(rng.randint(1, 8)):
        r = rng.random()
        if r < 0.2:
            steps.append({'op': 'settle'})
        elif r < 0.27 and g.block_lists:
            steps.append(g.block_list_step(rng.choice(g.block_lists)))
        elif r < 0.29 and g.controllers:
            steps.append({'op': 'call', 'target': 'c0', 'method': 'abort', 'args': []})
        else:
            steps.append(g.call(rng.choice(sockets)))
    # The end (marked final: the shrinker keeps it): close every socket.
    steps.append({'op': 'settle', 'final': True})
    steps.extend({'op': 'call', 'target': name, 'method': 'close', 'args': [], 'final': True}
                 for name in sockets)
    steps.append({'op': 'settle', 'final': True})
    return {'id': index, 'seed': seed, 'steps': steps}


def generate(seed: int, count: int, start: int = 0) -> list[Case]:
    return [generate_case(seed, i) for i in range(start, start + count)]
