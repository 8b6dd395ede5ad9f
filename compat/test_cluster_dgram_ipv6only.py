# Node: test/parallel/test-cluster-dgram-ipv6only.js
from typing import Any

import dgram_uv as dgram
from compat import common
from dgram_uv import cluster


def main() -> None:
    if not common.has_ipv6:
        common.skip('no IPv6 support')
    if common.is_windows:
        common.skip('dgram clustering is currently not supported on windows.')

    if cluster.is_primary:
        def on_exit(code: Any, *args: Any) -> None:
            assert code == 0

        cluster.fork().on('exit', common.must_call(on_exit))
    else:
        waiting = 2

        def close() -> None:
            nonlocal waiting
            waiting -= 1
            if waiting == 0:
                cluster.worker.disconnect()

        socket1 = dgram.create_socket({
            'type': 'udp6',
            'ipv6Only': True,
        })
        socket2 = dgram.create_socket({
            'type': 'udp4',
        })
        socket1.on('error', common.must_not_call())
        socket2.on('error', common.must_not_call())

        def close_both() -> None:
            socket1.close(close)
            socket2.close(close)

        def on_bound1() -> None:
            port = socket1.address().port
            socket2.bind({
                'port': port,
                'address': '0.0.0.0',
            }, common.must_call(lambda: dgram.next_tick(close_both)))

        socket1.bind({
            'port': 0,
            'address': '::',
        }, common.must_call(on_bound1))


test_cluster_dgram_ipv6only = common.node_test(__file__)
if __name__ == '__main__':
    common.run(main)
