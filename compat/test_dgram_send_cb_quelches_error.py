# Node: test/parallel/test-dgram-send-cb-quelches-error.js
from typing import Any

import dgram_uv as dgram
from compat import common, netns

must_call = common.must_call


def main() -> None:
    socket = dgram.create_socket('udp4')
    buffer = b'gary busey'

    # dns.setServers([]) configures Node's c-ares resolver, which dns.lookup() (getaddrinfo,
    # what send() uses) never consults; dgram_uv.dns has no such resolver: no counterpart.

    def on_event(err: Any) -> None:
        raise AssertionError(f'Error should not be emitted if there is callback: {err}')

    def on_error(err: Any) -> None:
        assert err
        socket.close()

    def callback_only(err: Any, *args: Any) -> None:
        assert err
        socket.remove_listener('error', on_event)
        socket.on('error', must_call(on_error))
        socket.send(buffer, 0, len(buffer), 100, 'dne.invalid')

    socket.once('error', on_event)

    # assert that:
    # * callbacks act as "error" listeners if given.
    # * error is never emitter for missing dns entries
    #   if a callback that handles error is present
    # * error is emitted if a callback with no argument is passed
    socket.send(buffer, 0, len(buffer), 100,
                'dne.example.com', must_call(callback_only))


# The lookups go to the system resolver: run in a namespace of its own (only lo), where
# they fail at once, so no query leaves this machine.
test_dgram_send_cb_quelches_error = netns.netns_test(__file__, topology='loopback')
if __name__ == '__main__':
    common.run(main)
