# Node: test/parallel/test-cluster-dgram-reuse.js
from typing import Any

import dgram_uv as dgram
from compat import common
from dgram_uv import cluster


def main() -> None:
    if common.is_windows:
        common.skip('dgram clustering is currently not supported on windows.')

    if cluster.is_primary:
        def on_exit(code: Any, *args: Any) -> None:
            assert code == 0

        cluster.fork().on('exit', common.must_call(on_exit))
        return

    waiting = 2

    def close() -> None:
        nonlocal waiting
        waiting -= 1
        if waiting == 0:
            cluster.worker.disconnect()

    options = {'type': 'udp4', 'reuseAddr': True}
    socket1 = dgram.create_socket(options)
    socket2 = dgram.create_socket(options)

    def close_both() -> None:
        socket1.close(close)
        socket2.close(close)

    # Work around health check issue
    socket1.bind(0, lambda: socket2.bind(socket1.address().port,
                                         lambda: dgram.next_tick(close_both)))


test_cluster_dgram_reuse = common.node_test(__file__)
if __name__ == '__main__':
    common.run(main)
