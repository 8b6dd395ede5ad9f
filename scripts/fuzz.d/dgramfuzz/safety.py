"""Where a case may send: loopback only, checked before any call that could send.

The generator only puts these strings where ``send``/``connect`` read a
destination, the runners refuse a case that breaks the rule (runner.js keeps
its own copy of these lists), and by default each runner also sits in a
network namespace of its own with only ``lo`` up.
"""

from __future__ import annotations

from typing import Any

# Destination strings a send or connect may name: each resolves to a loopback
# address or is rejected before any packet leaves ('' is the family's loopback).
SAFE_DESTINATIONS = ('127.0.0.1', '::1', 'localhost', '', '127.1', '::ffff:127.0.0.1', '::1%lo')

# What a fuzz `lookup` option may answer (send/connect then use it as the destination).
SAFE_LOOKUP_IPS = ('127.0.0.1', '::1', 'not-an-ip', '')

# Argument positions where a destination address can land (Node shifts the
# arguments of send(), so both of its possible positions count).
DESTINATION_POSITIONS = {'send': (2, 4), 'connect': (1,)}

# Calls that join multicast groups (IGMP/MLD reports): only inside a namespace.
MEMBERSHIP_METHODS = ('addMembership', 'dropMembership', 'addSourceSpecificMembership',
                      'dropSourceSpecificMembership', 'setMulticastInterface')


def step_is_safe(step: dict[str, Any]) -> bool:
    """True when ``step`` cannot send anywhere but loopback."""
    positions = DESTINATION_POSITIONS.get(step.get('method', ''))
    if step.get('op') == 'call' and positions:
        args = step['args']
        for index in positions:
            if index < len(args) and args[index]['t'] == 's' and \
                    args[index]['v'] not in SAFE_DESTINATIONS:
                return False
    return all(v.get('ip') in SAFE_LOOKUP_IPS for v in _lookups(step.get('args', [])))


def _lookups(values: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for v in values:
        if v['t'] == 'lookup':
            out.append(v)
        elif v['t'] == 'a':
            out.extend(_lookups(v['items']))
        elif v['t'] == 'o':
            out.extend(_lookups([item for _, item in v['items']]))
    return out
