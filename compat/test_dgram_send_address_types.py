# Node: test/parallel/test-dgram-send-address-types.js
import functools
from typing import Any

import dgram_uv as dgram
from compat import common


def main() -> None:
    buf = b'test'

    default_cases: list[Any] = ['', None, None]  # '', null, undefined (both None in Python)

    def on_sent(nbytes: int) -> None:
        assert nbytes == len(buf), nbytes

    on_message = common.must_succeed(on_sent, len(default_cases) + 1)

    def on_bound() -> None:
        port = client.address().port

        # Check valid addresses
        for address in default_cases:
            client.send(buf, port, address, on_message)

        # Valid address: not provided
        client.send(buf, port, on_message)

        # Check invalid addresses
        # ([], 0, 1, true, false, 0n, 1n, {}, Symbol()): Python has no BigInt (0n and 1n
        # are the ints 0 and 1) and no Symbol (a bare object() plays it).
        for invalid_input in [[], 0, 1, True, False, {}, object()]:
            common.assert_throws(
                functools.partial(client.send, buf, port, invalid_input),
                code='ERR_INVALID_ARG_TYPE',
                name='TypeError',
                message='The "address" argument must be of type string.'
                        f'{common.invalid_arg_type_helper(invalid_input)}')

    client = dgram.create_socket('udp4').bind(0, on_bound)

    client.unref()


test_dgram_send_address_types = common.node_test(__file__)
if __name__ == '__main__':
    common.run(main)
