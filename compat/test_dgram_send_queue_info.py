# Node: test/parallel/test-dgram-send-queue-info.js
# Flags: --test-udp-no-try-send -> DGRAM_UV_TEST_UDP_NO_TRY_SEND=1 (common.run sets it).
import dgram_uv as dgram
from compat import common


def main() -> None:
    socket = dgram.create_socket('udp4')
    assert socket.get_send_queue_size() == 0
    assert socket.get_send_queue_count() == 0
    socket.close()

    server = dgram.create_socket('udp4')
    client = dgram.create_socket('udp4')

    def on_connect() -> None:
        data = 'hello'
        client.send(data)
        client.send(data)
        # See uv__send in win/udp.c
        size = client.get_send_queue_size()
        assert size == (0 if common.is_windows else len(data) * 2), size
        count = client.get_send_queue_count()
        assert count == 2, count
        client.close()
        server.close()

    server.bind(0, common.must_call(
        lambda: client.connect(server.address().port, common.must_call(on_connect))))


test_dgram_send_queue_info = common.node_test(__file__)
if __name__ == '__main__':
    common.run(main, env={'DGRAM_UV_TEST_UDP_NO_TRY_SEND': '1'})
