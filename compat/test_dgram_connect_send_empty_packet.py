# Node: test/parallel/test-dgram-connect-send-empty-packet.js
from typing import Any

import dgram_uv as dgram
from compat import common


def main() -> None:
    client = dgram.create_socket('udp4')

    def on_bound() -> None:
        def on_connect() -> None:
            # (Node hoists the function declaration `callback`; here it comes first.)
            def callback(first_arg: Any, *rest: Any) -> None:
                # If client.send() callback, firstArg should be None.
                # If client.on('message') listener, firstArg should be a 0-length bytes.
                if isinstance(first_arg, bytes):
                    assert len(first_arg) == 0
                    dgram.clear_interval(interval)
                    client.close()

            client.on('message', common.must_call(callback))

            buf = bytes(1)

            def on_interval() -> None:
                client.send(buf, 0, 0, common.must_call(callback))

            interval = dgram.set_interval(on_interval, 10)

        client.connect(client.address().port, common.must_call(on_connect))

    client.bind(0, common.must_call(on_bound))


test_dgram_connect_send_empty_packet = common.node_test(__file__)
if __name__ == '__main__':
    common.run(main)
