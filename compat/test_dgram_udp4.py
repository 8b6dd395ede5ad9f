# Node: test/parallel/test-dgram-udp4.js
from typing import Any

import dgram_uv as dgram
from compat import common


def main() -> None:
    message_to_send = 'A message to send'

    server = dgram.create_socket('udp4')

    def on_server_message(msg: bytes, rinfo: Any) -> None:
        assert rinfo.address == common.localhost_ipv4
        assert msg.decode() == message_to_send
        server.send(msg, 0, len(msg), rinfo.port, rinfo.address)

    server.on('message', common.must_call(on_server_message))

    def on_listening() -> None:
        client = dgram.create_socket('udp4')
        port = server.address().port

        def on_client_message(msg: bytes, rinfo: Any) -> None:
            assert rinfo.address == common.localhost_ipv4
            assert rinfo.port == port
            assert msg.decode() == message_to_send
            client.close()
            server.close()

        client.on('message', common.must_call(on_client_message))
        client.send(message_to_send,
                    0,
                    len(message_to_send),
                    port,
                    'localhost')
        client.on('close', common.must_call())

    server.on('listening', common.must_call(on_listening))
    server.on('close', common.must_call())
    server.bind(0)


test_dgram_udp4 = common.node_test(__file__)
if __name__ == '__main__':
    common.run(main)
