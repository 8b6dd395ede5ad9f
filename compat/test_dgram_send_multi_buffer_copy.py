# Node: test/parallel/test-dgram-send-multi-buffer-copy.js
from typing import Any

import dgram_uv as dgram
from compat import common


def main() -> None:
    client = dgram.create_socket('udp4')

    def on_sent(err: Any, nbytes: int) -> None:
        assert nbytes == len(buf1) + len(buf2), nbytes

    on_message = common.must_call(on_sent)

    buf1 = b'x' * 256
    buf2 = b'y' * 256

    def on_listening() -> None:
        to_send = [buf1, buf2]
        client.send(to_send, client.address().port, common.localhost_ipv4, on_message)
        del to_send[0:2]  # toSend.splice(0, 2)

    def on_received(buf: bytes, info: object) -> None:
        expected = buf1 + buf2
        assert buf == expected, 'message was received correctly'
        client.close()

    client.on('listening', on_listening)
    client.on('message', common.must_call(on_received))

    client.bind(0)


test_dgram_send_multi_buffer_copy = common.node_test(__file__)
if __name__ == '__main__':
    common.run(main)
