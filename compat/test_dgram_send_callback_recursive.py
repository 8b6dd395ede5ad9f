# Node: test/parallel/test-dgram-send-callback-recursive.js
from typing import Any

import dgram_uv as dgram
from compat import common


def main() -> None:
    client = dgram.create_socket('udp4')
    chunk = 'abc'
    received = 0
    sent = 0
    limit = 10
    is_async = False  # Node's `async`
    port = 0

    def onsend(*args: Any) -> None:
        nonlocal sent
        sent += 1
        if sent - 1 < limit:  # sent++ < limit
            client.send(chunk, 0, len(chunk), port, common.localhost_ipv4, onsend)
        else:
            assert is_async is True

    def on_listening() -> None:
        nonlocal port
        port = client.address().port  # `this` is client

        def set_async() -> None:
            nonlocal is_async
            is_async = True

        dgram.next_tick(set_async)

        onsend()

    def on_message(buf: bytes, info: object) -> None:
        nonlocal received
        received += 1
        if received == limit:
            client.close()

    def on_close() -> None:
        assert received == limit, received

    client.on('listening', on_listening)
    client.on('message', on_message)
    client.on('close', common.must_call(on_close))

    client.bind(0)


test_dgram_send_callback_recursive = common.node_test(__file__)
if __name__ == '__main__':
    common.run(main)
