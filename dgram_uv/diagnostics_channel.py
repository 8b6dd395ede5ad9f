"""Node's ``diagnostics_channel`` (lib/diagnostics_channel.js) as far as dgram uses it.

A channel is a name that publishers send messages to and subscribers listen on::

    from dgram_uv import diagnostics_channel as dc

    dc.subscribe('udp.socket', lambda message, name: print(message['socket']))
    sock = dgram.create_socket('udp4')     # published: {'socket': sock}

dgram publishes every new ``Socket`` on ``'udp.socket'`` with ``{'socket': sock}``,
from its constructor, when that channel has subscribers.  Subscribers are
called in the order they subscribed as ``subscriber(message, name)``,
synchronously inside ``publish``.  As in Node, an exception a subscriber
raises does not stop the others: it is raised again on the next tick, where
it ends ``dgram_uv.run()`` like any uncaught exception.

Channels are found by name (a ``str``; Node also takes a symbol).  Like Node,
the registry holds a channel weakly unless it has subscribers: the same object
comes back from ``channel(name)`` for as long as anyone holds it.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Hashable
from typing import Any

from ._binding import loop
from ._internal import errors
from ._internal.events import _Symbol
from ._internal.validators import validate_function

__all__ = ['Channel', 'channel', 'subscribe', 'unsubscribe', 'has_subscribers',
           'hasSubscribers']

Subscriber = Callable[[Any, Any], object]
"""``subscriber(message, name)``."""

# name -> Channel, held weakly (Node's WeakRefMap) ...
_channels: weakref.WeakValueDictionary[Hashable, Channel] = weakref.WeakValueDictionary()
# ... except while it has subscribers (Node's incRef/decRef on the entry).
_subscribed: dict[Hashable, Channel] = {}


class Channel:
    """Node's ``Channel``: ``name``, ``has_subscribers``, ``publish``, ``subscribe``,
    ``unsubscribe``.  ``Channel(name)`` registers the new channel under ``name``
    (replacing any other), as Node's constructor does; ``channel(name)`` is the
    usual way to get one."""

    __slots__ = ('name', '_subscribers', '_active', '__weakref__')

    def __init__(self, name: Any) -> None:
        self.name = name
        self._subscribers: tuple[Subscriber, ...] = ()
        # Node's ActiveChannel: it has had a subscriber, or an attempt at one.
        self._active = False
        _channels[name] = self

    @property
    def has_subscribers(self) -> bool:
        """Whether a subscriber would see a message published now."""
        return self._active

    def subscribe(self, subscription: Subscriber) -> None:
        """Call ``subscription(message, name)`` for each later ``publish``.

        Raises ``ERR_INVALID_ARG_TYPE`` if it is not callable.  The same
        function subscribed twice is called twice.
        """
        # Node marks the channel active before it validates: after a rejected
        # subscriber, has_subscribers is True with nobody subscribed.
        self._active = True
        validate_function(subscription, 'subscription')
        # A new tuple, so that a publish in progress goes on with the old one.
        self._subscribers = (*self._subscribers, subscription)
        _subscribed[self.name] = self

    def unsubscribe(self, subscription: Subscriber) -> bool:
        """Remove the first subscription equal to ``subscription``; ``True`` if there was one."""
        subscribers = self._subscribers
        index = next((i for i, each in enumerate(subscribers) if each == subscription), -1)
        if index == -1:
            return False
        self._subscribers = subscribers[:index] + subscribers[index + 1:]
        if not self._subscribers:
            self._active = False
            if _subscribed.get(self.name) is self:
                del _subscribed[self.name]
        return True

    def publish(self, message: Any) -> None:
        """Call every subscriber with ``(message, name)``, in order."""
        for subscriber in self._subscribers:
            try:
                subscriber(message, self.name)
            except Exception as err:
                # Node: process.nextTick(() => triggerUncaughtException(err)).
                loop.next_tick(_raise, err)

    def __repr__(self) -> str:
        return f'Channel({self.name!r})'

    hasSubscribers = has_subscribers


def _raise(err: BaseException) -> None:
    raise err


def _registered(name: Any) -> Channel | None:
    try:
        return _channels.get(name)
    except TypeError:                # unhashable: never a channel's name
        return None


def channel(name: Any) -> Channel:
    """The channel named ``name`` (a str), made if none is alive.

    Raises ``ERR_INVALID_ARG_TYPE`` for a name that is not a str.
    """
    found = _registered(name)
    if found is not None:
        return found
    if not isinstance(name, (str, _Symbol)):
        raise errors.ERR_INVALID_ARG_TYPE('channel', ['string', 'symbol'], name)
    return Channel(name)


def subscribe(name: Any, subscription: Subscriber) -> None:
    """``channel(name).subscribe(subscription)``."""
    channel(name).subscribe(subscription)


def unsubscribe(name: Any, subscription: Subscriber) -> bool:
    """``channel(name).unsubscribe(subscription)``."""
    return channel(name).unsubscribe(subscription)


def has_subscribers(name: Any) -> bool:
    """Whether the channel ``name`` has subscribers (``False`` if there is no such channel)."""
    found = _registered(name)
    return found is not None and found.has_subscribers


hasSubscribers = has_subscribers
