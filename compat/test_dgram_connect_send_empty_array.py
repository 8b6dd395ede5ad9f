# Node: test/parallel/test-dgram-connect-send-empty-array.js
import dgram_uv as dgram
from compat import common


def main() -> None:
    client = dgram.create_socket('udp4')

    def on_message(buf: bytes, info: object) -> None:
        expected = b''
        assert buf == expected, f'Expected empty message but got {buf!r}'
        client.close()

    def on_listening() -> None:
        client.connect(client.address().port,
                       common.localhost_ipv4,
                       common.must_call(lambda: client.send([])))

    client.on('message', common.must_call(on_message))
    client.on('listening', common.must_call(on_listening))

    client.bind(0)


test_dgram_connect_send_empty_array = common.node_test(__file__)
if __name__ == '__main__':
    common.run(main)
