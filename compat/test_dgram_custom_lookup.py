# Node: test/parallel/test-dgram-custom-lookup.js
from typing import Any

import dgram_uv as dgram
from compat import common
from dgram_uv import dns


def main() -> None:
    # Verify that the provided lookup function is called.
    def lookup(host: Any, family: Any, callback: Any) -> None:
        dns.lookup(host, family, callback)

    socket1 = dgram.create_socket({'type': 'udp4', 'lookup': common.must_call(lookup)})

    socket1.bind(common.must_call(lambda: socket1.close()))

    # Verify that lookup defaults to dns.lookup().
    original_lookup = dns.lookup

    def patched_lookup(host: Any, family: Any, callback: Any) -> None:
        dns.lookup = original_lookup
        original_lookup(host, family, callback)

    dns.lookup = common.must_call(patched_lookup)

    socket2 = dgram.create_socket({'type': 'udp4'})

    socket2.bind(common.must_call(lambda: socket2.close()))

    # Verify that non-functions throw.
    # Node's values and common.invalidArgTypeHelper() text, for the Python values:
    # null -> None, NaN -> float('nan'), {} -> dict, Symbol() -> object().
    values = [
        (None, ' Received None'),
        (True, ' Received type bool (True)'),
        (False, ' Received type bool (False)'),
        (0, ' Received type int (0)'),
        (1, ' Received type int (1)'),
        (float('nan'), ' Received type float (nan)'),
        ('', " Received type str ('')"),
        ('foo', " Received type str ('foo')"),
        ({}, ' Received an instance of dict'),
        (object(), ' Received an instance of object'),
    ]
    for value, received in values:
        common.assert_throws(
            lambda value=value: dgram.create_socket({'type': 'udp4', 'lookup': value}),
            code='ERR_INVALID_ARG_TYPE',
            name='TypeError',
            message='The "lookup" argument must be of type function.' + received,
        )


test_dgram_custom_lookup = common.node_test(__file__)
if __name__ == '__main__':
    common.run(main)
