# Node: test/parallel/test-dgram-send-default-host.js
from typing import Any

import dgram_uv as dgram
from compat import common


def _byte_length(view: Any) -> int:
    # Node's byteLength; len() of a memoryview counts items, not bytes.
    return memoryview(view).nbytes


def _string(value: bytes | str) -> str:
    # String(x): a Buffer's String() is its UTF-8 text.
    return value if isinstance(value, str) else value.decode('utf-8')


def main() -> None:
    client = dgram.create_socket('udp4')

    to_send: list[Any] = [b'x' * 256,
                          b'y' * 256,
                          b'z' * 256,
                          'hello']

    received: list[str] = []
    total_bytes_sent = 0
    total_bytes_received = 0
    array_buffer_views_count = len(common.get_array_buffer_views(b''))

    def on_listening() -> None:
        nonlocal total_bytes_sent
        port = client.address().port

        client.send(to_send[0], 0, len(to_send[0]), port)
        client.send(to_send[1], port)
        client.send([to_send[2]], port)
        client.send(to_send[3], 0, len(to_send[3]), port)

        total_bytes_sent += sum(len(buf) for buf in to_send)

        for msg_buf in common.get_array_buffer_views(to_send[0]):
            client.send(msg_buf, 0, _byte_length(msg_buf), port)
            total_bytes_sent += _byte_length(msg_buf)
        for msg_buf in common.get_array_buffer_views(to_send[1]):
            client.send(msg_buf, port)
            total_bytes_sent += _byte_length(msg_buf)
        for msg_buf in common.get_array_buffer_views(to_send[2]):
            client.send([msg_buf], port)
            total_bytes_sent += _byte_length(msg_buf)

    def on_message(buf: bytes, info: Any) -> None:
        nonlocal total_bytes_received
        received.append(buf.decode('utf-8'))
        total_bytes_received += info.size
        if total_bytes_received == total_bytes_sent:
            client.close()

    def on_close() -> None:
        # The replies may arrive out of order -> sort them before checking.
        received.sort()

        repeated = list(to_send)
        for _ in range(array_buffer_views_count):
            repeated.extend(to_send[0:3])

        assert total_bytes_sent == total_bytes_received, (total_bytes_sent,
                                                          total_bytes_received)
        expected = sorted(_string(value) for value in repeated)
        assert received == expected

    client.on('listening', common.must_call(on_listening))
    # For every buffer in `toSend`, we send the raw Buffer,
    # as well as every TypedArray in getArrayBufferViews()
    client.on('message', common.must_call(
        on_message, len(to_send) + (len(to_send) - 1) * array_buffer_views_count))
    client.on('close', common.must_call(on_close))

    client.bind(0)


test_dgram_send_default_host = common.node_test(__file__)
if __name__ == '__main__':
    common.run(main)
