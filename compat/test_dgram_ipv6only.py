# Node: test/parallel/test-dgram-ipv6only.js
import dgram_uv as dgram
from compat import common


def main() -> None:
    if not common.has_ipv6:
        common.skip('no IPv6 support')

    # This test ensures that dual-stack support is disabled when
    # we specify the `ipv6Only` option in `dgram.createSocket()`.
    socket = dgram.create_socket({
        'type': 'udp6',
        'ipv6Only': True,
    })

    def on_bound() -> None:
        port = socket.address().port
        client = dgram.create_socket('udp4')

        def on_client_bound() -> None:
            client.close()
            socket.close()

        # We can still bind to '0.0.0.0'.
        client.bind({
            'port': port,
            'address': '0.0.0.0',
        }, common.must_call(on_client_bound))

        client.on('error', common.must_not_call())

    socket.bind({
        'port': 0,
        'address': '::',
    }, common.must_call(on_bound))


test_dgram_ipv6only = common.node_test(__file__)
if __name__ == '__main__':
    common.run(main)
