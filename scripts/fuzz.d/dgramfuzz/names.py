"""Node's method and option names and dgram_uv's snake_case spellings of them."""

from __future__ import annotations

import re

# Where the mechanical rule below would split an acronym (setTTL -> set_t_t_l).
_SPECIAL = {'setTTL': 'set_ttl', 'setMulticastTTL': 'set_multicast_ttl'}


def python_name(node_name: str) -> str:
    """``addSourceSpecificMembership`` -> ``add_source_specific_membership``."""
    if node_name in _SPECIAL:
        return _SPECIAL[node_name]
    return re.sub(r'(?<!^)(?=[A-Z])', '_', node_name).lower()
