"""Node's camelCase spellings of the snake_case public names.

``camel_case('set_multicast_ttl') == 'setMulticastTTL'``; ``camel_aliases(cls)``
gives each public snake_case method or property of ``cls`` its camelCase name.
"""

from __future__ import annotations

import types
from collections.abc import Mapping
from typing import Final, TypeVar

__all__ = ['CAMEL_WORDS', 'camel_case', 'camel_aliases']

_T = TypeVar('_T')

CAMEL_WORDS: Final[Mapping[str, str]] = {'ttl': 'TTL'}
"""Words Node spells in capitals inside camelCase names (``setMulticastTTL``)."""


def camel_case(name: str) -> str:
    """Node's spelling of a snake_case name: ``set_multicast_ttl`` -> ``setMulticastTTL``."""
    head, *rest = name.split('_')
    return head + ''.join(CAMEL_WORDS.get(word, word.capitalize()) for word in rest)


_ALIASABLE = (types.FunctionType, staticmethod, classmethod, property)


def camel_aliases(cls: type[_T], overrides: Mapping[str, str] | None = None) -> type[_T]:
    """Give every public snake_case method or property defined in ``cls`` its camelCase name.

    The alias is the same object (``cls.addListener is cls.add_listener``).  A name
    ``cls`` defines itself is never replaced, except one named in ``overrides``
    (snake_case -> camelCase, for spellings :func:`camel_case` cannot derive).
    Idempotent; returns ``cls``, so it also works as a class decorator.
    EventEmitter's subclasses get it automatically.
    """
    own = vars(cls)
    for name, value in list(own.items()):
        if overrides is not None and name in overrides:
            setattr(cls, overrides[name], value)
        elif (isinstance(value, _ALIASABLE) and '_' in name and '__' not in name
              and name[0] != '_' and name[-1] != '_' and camel_case(name) not in own):
            setattr(cls, camel_case(name), value)
    return cls
