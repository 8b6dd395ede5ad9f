# Node: test/parallel/test-cluster-child-index-dgram.js
from compat import common
from dgram_uv import Socket, cluster, next_tick

# Test an edge case when using `cluster` and `dgram.Socket.bind()`
# the port of `0`.
K_PORT = 0


def child() -> None:
    k_time = 2
    process = cluster.worker.process  # Node's `process` (its IPC side)
    countdown = common.Countdown(k_time * 2, lambda: process.exit(0))
    for _ in range(k_time):
        socket = Socket('udp4')

        def on_bind(socket: Socket = socket) -> None:
            # `process.nextTick()` or `socket2.close()` would throw
            # ERR_SOCKET_DGRAM_NOT_RUNNING
            def tick() -> None:
                # As in Node, dec() runs now and its number is close's (ignored) callback.
                socket.close(countdown.dec())
                socket2 = Socket('udp4')
                socket2.bind(K_PORT, common.must_call(
                    lambda: next_tick(lambda: socket2.close(countdown.dec()))))

            next_tick(tick)

        socket.bind(K_PORT, common.must_call(on_bind))


def main() -> None:
    if common.is_windows:
        common.skip('dgram clustering is currently not supported on Windows.')

    if cluster.is_master:
        # Node passes __filename as fork's env: its characters become variables '0', '1', ...
        cluster.fork(__file__)  # type: ignore[arg-type]
    else:
        child()


test_cluster_child_index_dgram = common.node_test(__file__)
if __name__ == '__main__':
    common.run(main)
