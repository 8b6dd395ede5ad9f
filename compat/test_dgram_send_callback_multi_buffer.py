# Node: test/parallel/test-dgram-send-callback-multi-buffer.js
from typing import Any

import dgram_uv as dgram
from compat import common


def main() -> None:
    client = dgram.create_socket('udp4')

    def on_sent(err: Any, nbytes: int) -> None:
        assert nbytes == len(buf1) + len(buf2)

    message_sent = common.must_call(on_sent)

    buf1 = b'x' * 256  # Buffer.alloc(256, 'x')
    buf2 = b'y' * 256

    def on_listening() -> None:
        port = client.address().port
        client.send([buf1, buf2], port, common.localhost_ipv4, message_sent)

    client.on('listening', on_listening)

    def on_message(buf: bytes, info: Any) -> None:
        expected = buf1 + buf2  # Buffer.concat([buf1, buf2])
        assert buf == expected, 'message was received correctly'
        client.close()

    client.on('message', common.must_call(on_message))

    client.bind(0)


test_dgram_send_callback_multi_buffer = common.node_test(__file__)
if __name__ == '__main__':
    common.run(main)
