"""Odd strings, addresses and limits, each compared with the Node oracle:

* a str with lone surrogates is sent as UTF-8 with U+FFFD for each, as Node's
  Buffer.from(string) makes it;
"""

from __future__ import annotations

import json
from typing import Any

from socket_harness import Harness, Node

# JS strings with surrogates; Python's twins are the same escapes.  A high and
# a low surrogate in a row are one character in JS (its UTF-16 form).
SURROGATE_MESSAGES = ['\ud800', 'a\udc00b', '\ud83d\ude00', '\udc00\ud800', '\udbff\udfff!',
                      ['\ud800', 'x'], 'plain é']

SURROGATES_JS = r'''
const dgram = require('dgram');
const msgs = %s;
const out = {received: [], sent: []};
const r = dgram.createSocket('udp4');
r.bind(0, '127.0.0.1', () => {
  const s = dgram.createSocket('udp4');
  r.on('message', (m) => {
    out.received.push(m.toString('hex'));
    if (out.received.length === msgs.length) {
      r.close(); s.close();
      console.log(JSON.stringify(out));
    }
  });
  const next = (i) => {
    if (i === msgs.length) return;
    s.send(msgs[i], r.address().port, '127.0.0.1', (err, n) => {
      out.sent.push(err ? err.code : n);
      next(i + 1);
    });
  };
  next(0);
});
'''


def _js_literal(value: Any) -> str:
    # ensure_ascii keeps each surrogate as a \\uXXXX escape, which JS reads back.
    return json.dumps(value)


def test_lone_surrogates_are_sent_as_node_encodes_them(h: Harness, node: Node) -> None:
    expected = node(SURROGATES_JS % _js_literal(SURROGATE_MESSAGES))
    out: dict[str, list[Any]] = {'received': [], 'sent': []}
    receiver = h.socket('udp4')
    sender = h.socket('udp4')

    def on_message(msg: bytes, rinfo: Any) -> None:
        out['received'].append(msg.hex())
        if len(out['received']) == len(SURROGATE_MESSAGES):
            h.close_all()
    receiver.on('message', on_message)

    def send(i: int) -> None:
        if i == len(SURROGATE_MESSAGES):
            return

        def sent(err: Any, n: Any = None) -> None:
            out['sent'].append(err.code if err else n)
            send(i + 1)
        sender.send(SURROGATE_MESSAGES[i], receiver.address().port, '127.0.0.1', sent)
    receiver.bind(0, '127.0.0.1', lambda: send(0))
    h.run()
    assert out == expected
    assert out['received'][0] == 'efbfbd'   # U+FFFD
