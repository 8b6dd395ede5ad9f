# Node: test/sequential/test-dgram-implicit-bind-failure.js
from typing import Any

import dgram_uv as dgram
from compat import common
from dgram_uv import dns
from dgram_uv.events import EventEmitter

mock_error = Exception('fake DNS')


def main() -> None:
    # Monkey patch dns.lookup() so that it always fails.
    def failing_lookup(address: Any, family: Any, callback: Any) -> None:
        dgram.next_tick(lambda: callback(mock_error))

    dns.lookup = failing_lookup

    socket = dgram.create_socket('udp4')

    def on_error_monitor(err: Any) -> None:
        # The DNS lookup should fail since it is monkey patched. At that point in
        # time, the send queue should be populated with the send() operation.
        assert err is mock_error
        assert isinstance(socket._state.queue, list)  # socket[kStateSymbol].queue
        assert len(socket._state.queue) == 1

    socket.on(EventEmitter.error_monitor, common.must_call(on_error_monitor, 3))

    def on_error(err: Any) -> None:
        assert err is mock_error
        assert socket._state.queue is None  # undefined -> None

    socket.on('error', common.must_call(on_error, 3))

    # Initiate a few send() operations, which will fail.
    socket.send('foobar', common.PORT, 'localhost')

    dgram.next_tick(lambda: socket.send('foobar', common.PORT, 'localhost'))

    dgram.set_immediate(lambda: socket.send('foobar', common.PORT, 'localhost'))


test_dgram_implicit_bind_failure = common.node_test(__file__)
if __name__ == '__main__':
    common.run(main)
