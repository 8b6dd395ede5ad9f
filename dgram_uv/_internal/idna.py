"""The hostname Node hands to ``uv_getaddrinfo``: ``to_ascii``.

Node's ``GetAddrInfo`` (src/cares_wrap.cc) takes the JS string as UTF-8 (a
lone surrogate becomes U+FFFD) and converts it with ``ada::idna::to_ascii``
(UTS #46 ToASCII, nontransitional, as the URL standard uses it), which
returns ``""`` when the name is not valid; libuv then refuses ``""`` with
``EINVAL``.  So Node reports ``getaddrinfo EINVAL`` for a lone surrogate,
``U+FFFD``, an invalid ``xn--`` label ..., while names that are only odd
(``'.'``, ``'a..b'``, a 64-character label, spaces) go to the resolver,
which answers ``ENOTFOUND`` (or ``EAI_AGAIN``) for them.

This module does the same with the standard library: ASCII names are only
lowercased (their ``xn--`` labels checked), other names mapped, NFC-normalized,
checked and Punycode-encoded.  Python's own ``'idna'`` codec (IDNA 2003,
which rejects ``'.'`` and long labels with ``UnicodeError``) is not used.
Where this differs from ada: the UTS #46 mapping is approximated by NFKC and
lower case, with the few exceptions found by comparing every code point with
Node's answers; characters of Unicode 14 and later may be judged otherwise
(Python 3.11's database is Unicode 14, ada's mapping Unicode 16, its
direction and combining-mark tables older).

Everything the conversion needs is imported here, at start-up: a lookup must
work when no file descriptor is left to import a module with.
"""

from __future__ import annotations

import codecs
import unicodedata

__all__ = ['to_ascii']

_PUNYCODE = codecs.lookup('punycode')   # looked up now: the codec module is imported lazily

# Characters UTS #46 ignores (maps to nothing).
_IGNORED = frozenset(
    [0x00AD, 0x034F, 0x180B, 0x180C, 0x180D, 0x180F, 0x200B, 0x2060, 0x2064, 0xFEFF,
     *range(0xFE00, 0xFE10), *range(0x1BCA0, 0x1BCA4), *range(0xE0100, 0xE01F0)])
# Full stops that separate labels as '.' does.
_DOTS = {'\u3002': '.', '\uff0e': '.', '\uff61': '.'}
# Where ada's table is not NFKC + lower case.
_SPECIAL = {'\u1e9e': 'ss', '\u0345': '\u03b9'}
# Letters UTS #46 disallows though Unicode calls them valid (found by comparing
# with Node, one character at a time).
_DISALLOWED = frozenset(
    [0x04C0, *range(0x10A0, 0x10C6), 0x115F, 0x1160, 0x17B4, 0x17B5, 0x1806, 0x2132,
     0x2183, *range(0x2FF0, 0x2FFC), 0x3164, 0xFFA0, 0x2F868, 0x2F874, 0x2F91F, 0x2F95F,
     0x2F9BF])
_ZWNJ, _ZWJ = '\u200c', '\u200d'
# General categories that are never valid in a label (beyond ASCII).
_INVALID_CATEGORIES = frozenset(['Cn', 'Co', 'Cs', 'Cc', 'Cf', 'Zl', 'Zp', 'Zs'])
_RTL = frozenset(['R', 'AL', 'AN'])
_LTR_ALLOWED = frozenset(['L', 'EN', 'ES', 'CS', 'ET', 'ON', 'BN', 'NSM'])
_RTL_ALLOWED = frozenset(['R', 'AL', 'AN', 'EN', 'ES', 'CS', 'ET', 'ON', 'BN', 'NSM'])


class _Invalid(Exception):
    pass


def to_ascii(hostname: str) -> bytes:
    """``ada::idna::to_ascii`` of ``hostname`` taken as Node's UTF-8; ``b''``
    when the name is not valid (as ada returns ``""``).  Never raises."""
    # Node's Utf8Value: a lone surrogate is U+FFFD (which is then invalid).
    name = hostname.encode('utf-8', 'surrogatepass').decode('utf-8', 'replace')
    try:
        if name.isascii():
            return _ascii_labels(name.lower())
        return _unicode_labels(_mapped(name))
    except (_Invalid, UnicodeError, ValueError):
        return b''


def _ascii_labels(name: str) -> bytes:
    for label in name.split('.'):
        if label.startswith('xn--'):
            _check_ace(label)
    return name.encode()


def _unicode_labels(name: str) -> bytes:
    out = []
    for label in name.split('.'):
        if label.startswith('xn--'):
            if not label.isascii():
                raise _Invalid
            _check_ace(label)
            out.append(label)
        elif label.isascii():
            out.append(label)
        else:
            _check_label(label)
            out.append('xn--' + _PUNYCODE.encode(label)[0].decode('ascii'))
    return '.'.join(out).encode()


def _check_ace(label: str) -> None:
    # An xn-- label must decode to a valid label that mapping leaves as it is.
    decoded = _PUNYCODE.decode(label[4:].encode('ascii'))[0]
    if not decoded or _mapped(decoded) != decoded:
        raise _Invalid
    _check_label(decoded)


def _mapped(text: str) -> str:
    """UTS #46 mapping, approximated: ignored characters dropped, the other
    full stops made '.', NFKC and lower case (per character, so a final sigma
    stays sigma), then NFC."""
    chars = []
    for char in text:
        if ord(char) in _IGNORED:
            continue
        if char in _DOTS:
            chars.append('.')
            continue
        if char in _SPECIAL:
            chars.append(_SPECIAL[char])
            continue
        folded = unicodedata.normalize('NFKC', char.lower())
        if ord(char) in _DISALLOWED or (char != '.' and any(dot in folded for dot in '.\u3002')):
            raise _Invalid   # e.g. U+2488 DIGIT ONE FULL STOP: disallowed
        chars.append(''.join(c.lower() for c in folded))
    return unicodedata.normalize('NFC', ''.join(chars))


def _check_label(label: str) -> None:
    """UTS #46 validity as ada checks it: no leading combining mark, only valid
    code points, joiners only after a virama, RFC 5893's rule for an RTL label."""
    if not label:
        return
    if unicodedata.category(label[0]).startswith('M'):
        raise _Invalid
    for index, char in enumerate(label):
        if char in (_ZWNJ, _ZWJ):
            # ContextJ: valid after a virama (ada decides the label here).
            if index and unicodedata.combining(label[index - 1]) == 9:
                return
            raise _Invalid
        if char > '\x7f' and (unicodedata.category(char) in _INVALID_CATEGORIES
                              or char in '\ufffc\ufffd'):
            raise _Invalid
    _check_bidi(label)


def _check_bidi(label: str) -> None:
    classes = [unicodedata.bidirectional(char) for char in label]
    if not _RTL.intersection(classes):
        return
    while classes and classes[-1] == 'NSM':
        classes.pop()
    if not classes:
        raise _Invalid
    if classes[0] == 'L':
        # ada 2.9 (Node 23) checks a left-to-right label but for its last
        # character (not NSM), and not how it ends.
        if not _LTR_ALLOWED.issuperset(classes[:-1]):
            raise _Invalid
        return
    if (not _RTL_ALLOWED.issuperset(classes) or classes[-1] not in ('R', 'AL', 'EN', 'AN')
            or ('EN' in classes and 'AN' in classes)):
        raise _Invalid
