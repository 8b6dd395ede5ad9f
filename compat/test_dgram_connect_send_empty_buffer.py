# Node: test/parallel/test-dgram-connect-send-empty-buffer.js
from typing import Any

import dgram_uv as dgram
from compat import common


def main() -> None:
    client = dgram.create_socket('udp4')

    def on_bound() -> None:
        # `this` in the bind callback is the socket: a closure here.
        port = client.address().port

        def on_connect() -> None:
            buf = b''  # Buffer.alloc(0)
            client.send(buf, 0, 0, common.must_succeed())

        client.connect(port, common.must_call(on_connect))

        def on_message(buffer: bytes, *args: Any) -> None:
            assert len(buffer) == 0
            client.close()

        client.on('message', common.must_call(on_message))

    client.bind(0, common.must_call(on_bound))


test_dgram_connect_send_empty_buffer = common.node_test(__file__)
if __name__ == '__main__':
    common.run(main)
