# Node: test/parallel/test-dgram-send-cb-quelches-error.js
from typing import Any

import dgram_uv as dgram
from compat import common
from dgram_uv import dns

must_call = common.must_call


def main() -> None:
    socket = dgram.create_socket('udp4')
    buffer = b'gary busey'

    # dns.setServers([]): Node's resolver settings do not reach dns.lookup() (getaddrinfo),
    # which is what send() uses; dgram_uv.dns has no resolver of its own to configure.
    set_servers = getattr(dns, 'set_servers', None)
    if set_servers is not None:
        set_servers([])

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


test_dgram_send_cb_quelches_error = common.node_test(__file__)
if __name__ == '__main__':
    common.run(main)
