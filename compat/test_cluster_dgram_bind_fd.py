# Node: test/parallel/test-cluster-dgram-bind-fd.js
from typing import Any

import dgram_uv as dgram
from compat import common
from dgram_uv import cluster

NUM_WORKERS = 4
PACKETS_PER_WORKER = 10


def primary() -> None:
    from dgram_uv._binding.udp_wrap import UDP  # internalBinding('udp_wrap').UDP

    # Create a handle and use its fd.
    raw_handle = UDP()
    err = raw_handle.bind(common.localhost_ipv4, 0, 0)
    assert err >= 0, str(err)
    assert raw_handle.fd != -1

    fd = raw_handle.fd

    listening = 0

    # Fork 4 workers.
    for _ in range(NUM_WORKERS):
        cluster.fork()

    # Wait until all workers are listening.
    def on_listening(worker: Any, address: Any) -> None:
        nonlocal listening
        listening += 1
        if listening < NUM_WORKERS:
            return

        # Start sending messages.
        buf = b'hello world'
        socket = dgram.create_socket('udp4')
        sent = 0

        def do_send() -> None:
            socket.send(buf, 0, len(buf), address['port'], address['address'], after_send)

        def after_send(*args: Any) -> None:
            nonlocal sent
            sent += 1
            if sent < NUM_WORKERS * PACKETS_PER_WORKER:
                do_send()
            else:
                socket.close()

        do_send()

    cluster.on('listening', common.must_call(on_listening, NUM_WORKERS))

    # Set up event handlers for every worker. Each worker sends a message when
    # it has received the expected number of packets. After that it disconnects.
    def setup_worker(worker: Any) -> None:
        received = 0

        worker.send({'fd': fd})

        def on_message(msg: Any) -> None:
            nonlocal received
            received = msg['received']
            worker.disconnect()

        def on_exit(*args: Any) -> None:
            assert received == PACKETS_PER_WORKER, received

        worker.on('message', common.must_call(on_message))
        worker.on('exit', common.must_call(on_exit))

    for worker in cluster.workers.values():
        setup_worker(worker)


def worker() -> None:
    received = 0

    def on_primary_message(data: Any) -> None:
        fd = data['fd']
        # Create udp socket and start listening.
        socket = dgram.create_socket('udp4')

        def on_message(data: bytes, info: Any) -> None:
            nonlocal received
            received += 1

            # Every 10 messages, notify the primary.
            if received == PACKETS_PER_WORKER:
                cluster.worker.process.send({'received': received})  # process.send
                socket.close()

        socket.on('message', common.must_call(on_message, PACKETS_PER_WORKER))

        socket.bind({'fd': fd})

    cluster.worker.process.on('message', common.must_call(on_primary_message))  # process.on


def main() -> None:
    if common.is_windows:
        common.skip('dgram clustering is currently not supported on Windows.')

    if cluster.is_primary:
        primary()
    else:
        worker()


test_cluster_dgram_bind_fd = common.node_test(__file__)
if __name__ == '__main__':
    common.run(main)
