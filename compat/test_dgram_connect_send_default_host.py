# Node: test/parallel/test-dgram-connect-send-default-host.js
from typing import Any

import dgram_uv as dgram
from compat import common


def main() -> None:
    client = dgram.create_socket('udp4')
    server = dgram.create_socket('udp4')

    # Buffer.alloc(256, 'x') -> bytes; new Uint8Array(buf) -> bytearray(buf).
    to_send: list[Any] = [b'x' * 256, b'y' * 256, b'z' * 256, 'hello']

    received: list[str] = []

    def on_listening() -> None:
        port = server.address().port

        def on_connect(err: Any = None) -> None:
            assert err is None  # assert.ifError(err)
            client.send(to_send[0], 0, len(to_send[0]))
            client.send(to_send[1])
            client.send([to_send[2]])
            client.send(to_send[3], 0, len(to_send[3]))

            client.send(bytearray(to_send[0]), 0, len(to_send[0]))
            client.send(bytearray(to_send[1]))
            client.send([bytearray(to_send[2])])
            client.send(bytearray(to_send[3].encode()), 0, len(to_send[3]))

        client.connect(port, on_connect)

    server.on('listening', common.must_call(on_listening))

    def on_message(buf: bytes, info: Any) -> None:
        received.append(buf.decode())

        if len(received) == len(to_send) * 2:
            # The replies may arrive out of order -> sort them before checking.
            received.sort()

            expected = sorted(x if isinstance(x, str) else x.decode() for x in to_send + to_send)
            assert received == expected
            client.close()
            server.close()

    server.on('message', common.must_call(on_message, len(to_send) * 2))

    server.bind(0)


test_dgram_connect_send_default_host = common.node_test(__file__)
if __name__ == '__main__':
    common.run(main)
