# Node: test/parallel/test-cluster-disconnect-unshared-udp.js
# (Copyright Joyent, Inc. and other Node contributors; MIT licence, as Node's file says.)
import os

import dgram_uv as dgram
from compat import common
from dgram_uv import cluster


def main() -> None:
    if common.is_windows:
        common.skip('on windows, because clustered dgram is ENOTSUP')

    if cluster.is_primary:
        def bind(*args: object) -> None:
            cluster.fork({'BOUND': 'y'}).on('listening', disconnect)

        def disconnect(*args: object) -> None:
            unbound.disconnect()
            unbound.on('disconnect', cluster.disconnect)

        unbound = cluster.fork().on('online', bind)
    elif os.environ.get('BOUND') == 'y':
        source = dgram.create_socket('udp4')

        source.bind(0)


test_cluster_disconnect_unshared_udp = common.node_test(__file__)
if __name__ == '__main__':
    common.run(main)
