# Node: test/sequential/test-dgram-pingpong.js
import functools

import dgram_uv as dgram
from compat import common


def ping_pong_test(port: int, host: str | None = None) -> dgram.Socket:
    def on_ping(msg: bytes, rinfo: object) -> None:
        assert msg.decode('ascii') == 'PING', msg
        server.send('PONG', 0, 4, rinfo.port, rinfo.address)  # type: ignore[attr-defined]

    server = dgram.create_socket('udp4', common.must_call(on_ping))

    def on_error(e: BaseException) -> None:
        raise e

    server.on('error', on_error)

    def on_listening() -> None:
        print(f'server listening on {port}')
        client = dgram.create_socket('udp4')

        def on_pong(msg: bytes, rinfo: object) -> None:
            assert msg.decode('ascii') == 'PONG', msg
            client.close()
            server.close()

        client.on('message', on_pong)
        client.on('error', on_error)

        print(f'Client sending to {port}')

        def client_send() -> None:
            client.send('PING', 0, 4, port, 'localhost')

        client_send()

    server.on('listening', on_listening)
    server.bind(port, host)
    return server


def main() -> None:
    server = ping_pong_test(common.PORT, 'localhost')
    server.on('close', common.must_call(functools.partial(ping_pong_test, common.PORT)))


test_dgram_pingpong = common.node_test(__file__)
if __name__ == '__main__':
    common.run(main)
