"""Node's ``dns.lookup`` (over ``uv_getaddrinfo``) and ``net.isIP``/``isIPv4``/``isIPv6``.

``lookup(hostname, family_or_options, callback)`` calls ``callback(err,
address, family)``; an IP literal or an empty hostname completes on the next
tick without asking the resolver, as in Node.  The implementation is
``_internal.dns``.
"""

from __future__ import annotations

from ._internal.dns import is_ip, is_ipv4, is_ipv6, lookup

__all__ = ['lookup', 'is_ip', 'is_ipv4', 'is_ipv6', 'isIP', 'isIPv4', 'isIPv6']

isIP, isIPv4, isIPv6 = is_ip, is_ipv4, is_ipv6
