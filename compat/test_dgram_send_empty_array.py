# Node: test/parallel/test-dgram-send-empty-array.js
from typing import Any

import dgram_uv as dgram
from compat import common


def main() -> None:
    client = dgram.create_socket('udp4')

    interval = None

    def on_message(buf: bytes, info: Any) -> None:
        expected = b''  # Buffer.alloc(0)
        assert buf == expected, f'Expected empty message but got {buf!r}'
        dgram.clear_interval(interval)
        client.close()

    client.on('message', common.must_call(on_message))

    def on_listening() -> None:
        nonlocal interval
        interval = dgram.set_interval(
            lambda: client.send([], client.address().port, common.localhost_ipv4), 10)

    client.on('listening', common.must_call(on_listening))

    client.bind(0)


test_dgram_send_empty_array = common.node_test(__file__)
if __name__ == '__main__':
    common.run(main)
