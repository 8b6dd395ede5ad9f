# Node: test/parallel/test-dgram-cluster-close-in-listening.js
import dgram_uv as dgram
from compat import common
from dgram_uv import cluster


def main() -> None:
    if common.is_windows:
        common.skip('dgram clustering is currently not supported on windows.')

    if cluster.is_primary:
        for _ in range(3):
            cluster.fork()
    else:
        socket = dgram.create_socket('udp4')

        socket.on('error', common.must_not_call())

        socket.on('listening', common.must_call(lambda: socket.close()))

        socket.on('close', common.must_call(lambda: cluster.worker.disconnect()))

        socket.bind(0)


test_dgram_cluster_close_in_listening = common.node_test(__file__)
if __name__ == '__main__':
    common.run(main)
