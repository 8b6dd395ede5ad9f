# Node: test/parallel/test-dgram-send-address-types.js
#
# JS values with no Python type of their own:
# - undefined and null are both None (so the default cases are '', None, None);
# - BigInt (Node's 0n and 1n): a Python int beyond 2 ** 53. Such an int is no
#   JS number (a double cannot hold it exactly), so only a BigInt could carry
#   it: 0n is played by 2 ** 64 and 1n by 2 ** 53 + 1. The plain ints 0 and 1
#   stand for the JS numbers 0 and 1, which the list has too;
# - Symbol(): a bare object(), a value of no other JS type.
# As everywhere in dgram_uv, the "Received ..." clause describes the Python value.
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
        for invalid_input in [
            [],
            0,
            1,
            True,
            False,
            2 ** 64,        # 0n
            2 ** 53 + 1,    # 1n
            {},
            object(),       # Symbol()
        ]:
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
