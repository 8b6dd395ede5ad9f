# Node: test/parallel/test-dgram-udp6-send-default-host.js
from typing import Any

import dgram_uv as dgram
from compat import common


def get_array_buffer_views(buf: bytes) -> list[Any]:
    # common.getArrayBufferViews(): one view per TypedArray type (and DataView) whose
    # element size divides the length. Python: bytearray for Uint8Array, memoryview casts
    # for the others ('c' for Uint8ClampedArray), a plain memoryview for DataView.
    mv = memoryview(bytearray(buf))
    out: list[Any] = []
    for fmt, size in [('b', 1), ('B', 1), ('c', 1), ('h', 2), ('H', 2), ('i', 4), ('I', 4),
                      ('f', 4), ('d', 8), ('q', 8), ('Q', 8), (None, 1)]:
        if len(buf) % size == 0:
            if fmt is None:
                out.append(mv)
            elif fmt == 'B':
                out.append(bytearray(buf))
            else:
                out.append(mv.cast(fmt))
    return out


def main() -> None:
    if not common.has_ipv6:
        common.skip('no IPv6 support')

    client = dgram.create_socket('udp6')

    # Buffer.alloc(256, 'x') -> bytes; a JS string is a str.
    to_send: list[Any] = [b'x' * 256, b'y' * 256, b'z' * 256, 'hello']

    received: list[str] = []
    total_bytes_sent = 0
    total_bytes_received = 0
    array_buffer_view_length = len(get_array_buffer_views(b''))

    def on_listening() -> None:
        nonlocal total_bytes_sent
        port = client.address().port

        client.send(to_send[0], 0, len(to_send[0]), port)
        client.send(to_send[1], port)
        client.send([to_send[2]], port)
        client.send(to_send[3], 0, len(to_send[3]), port)

        total_bytes_sent += sum(len(buf) for buf in to_send)

        for msg_buf in get_array_buffer_views(to_send[0]):
            client.send(msg_buf, 0, memoryview(msg_buf).nbytes, port)  # byteLength
            total_bytes_sent += memoryview(msg_buf).nbytes
        for msg_buf in get_array_buffer_views(to_send[1]):
            client.send(msg_buf, port)
            total_bytes_sent += memoryview(msg_buf).nbytes
        for msg_buf in get_array_buffer_views(to_send[2]):
            client.send([msg_buf], port)
            total_bytes_sent += memoryview(msg_buf).nbytes

    client.on('listening', common.must_call(on_listening))

    def on_message(buf: bytes, info: Any) -> None:
        nonlocal total_bytes_received
        received.append(buf.decode())
        total_bytes_received += info.size

        if total_bytes_received == total_bytes_sent:
            client.close()
        # For every buffer in `toSend`, we send the raw Buffer,
        # as well as every TypedArray in getArrayBufferViews()

    client.on('message', common.must_call(
        on_message, len(to_send) + (len(to_send) - 1) * array_buffer_view_length))

    def on_close(*args: Any) -> None:
        # The replies may arrive out of order -> sort them before checking.
        received.sort()

        repeated = list(to_send)
        for _ in range(array_buffer_view_length):
            # We get arrayBufferViews only for toSend[0..2].
            repeated.extend(to_send[0:3])

        assert total_bytes_sent == total_bytes_received

        expected = sorted(x if isinstance(x, str) else x.decode() for x in repeated)
        assert received == expected

    client.on('close', common.must_call(on_close))

    client.bind(0)


test_dgram_udp6_send_default_host = common.node_test(__file__)
if __name__ == '__main__':
    common.run(main)
