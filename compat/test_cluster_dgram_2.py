# Node: test/parallel/test-cluster-dgram-2.js
from typing import Any

import dgram_uv as dgram
from compat import common
from dgram_uv import cluster

NUM_WORKERS = 4
PACKETS_PER_WORKER = 10


def primary() -> None:
    received = 0

    # Start listening on a socket.
    socket = dgram.create_socket('udp4')

    def on_bound() -> None:
        # Fork workers.
        for _ in range(NUM_WORKERS):
            worker = cluster.fork()
            worker.send({'port': socket.address().port})

    socket.bind({'port': 0}, common.must_call(on_bound))

    # Disconnect workers when the expected number of messages have been
    # received.
    def on_message(data: bytes, info: Any) -> None:
        nonlocal received
        received += 1

        if received == PACKETS_PER_WORKER * NUM_WORKERS:

            # Close the socket.
            socket.close()

            # Disconnect all workers.
            cluster.disconnect()

    socket.on('message', common.must_call(on_message, NUM_WORKERS * PACKETS_PER_WORKER))


def worker() -> None:
    # Create udp socket and send packets to primary.
    socket = dgram.create_socket('udp4')
    buf = b'hello world'

    # This test is intended to exercise the cluster binding of udp sockets, but
    # since sockets aren't clustered when implicitly bound by at first call of
    # send(), explicitly bind them to an ephemeral port.
    socket.bind(0)

    def on_message(msg: Any) -> None:
        assert msg['port']

        # There is no guarantee that a sent dgram packet will be received so keep
        # sending until disconnect.
        interval = dgram.set_interval(
            lambda: socket.send(buf, 0, len(buf), msg['port'], '127.0.0.1'), 1)

        cluster.worker.on('disconnect', lambda: dgram.clear_interval(interval))

    cluster.worker.process.on('message', common.must_call(on_message))  # process.on


def main() -> None:
    if common.is_windows:
        common.skip('dgram clustering is currently not supported on Windows.')

    if cluster.is_primary:
        primary()
    else:
        worker()


test_cluster_dgram_2 = common.node_test(__file__)
if __name__ == '__main__':
    common.run(main)
