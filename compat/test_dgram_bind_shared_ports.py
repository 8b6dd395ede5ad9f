# Node: test/sequential/test-dgram-bind-shared-ports.js
import os
from typing import Any

import dgram_uv as dgram
from compat import common
from dgram_uv import cluster

BYE = 'bye'
WORKER2_NAME = 'wrker2'


def main() -> None:
    if cluster.is_primary:
        worker1 = cluster.fork()

        if common.is_windows:
            def on_error(err: Any) -> None:
                print(err)
                assert err.code == 'ENOTSUP'
                worker1.kill()

            worker1.on('error', common.must_call(on_error))
            return

        def on_message1(msg: Any) -> None:
            print(msg)
            assert msg == 'success'

            worker2 = cluster.fork({'WORKER2_NAME': WORKER2_NAME})

            def on_message2(msg: Any) -> None:
                print(msg)
                assert msg == 'socket3:EADDRINUSE'

                # finish test
                worker1.send(BYE)
                worker2.send(BYE)

            def on_exit2(code: Any, signal: Any) -> None:
                assert signal is None
                assert code == 0

            worker2.on('message', common.must_call(on_message2))
            worker2.on('exit', common.must_call(on_exit2))

        def on_exit1(code: Any, signal: Any) -> None:
            assert signal is None
            assert code == 0

        worker1.on('message', common.must_call(on_message1))
        worker1.on('exit', common.must_call(on_exit1))
        # end primary code
    else:
        # worker code
        process = cluster.worker.process  # Node's `process` (its IPC side)

        def on_bye(msg: Any) -> None:
            if msg == BYE:
                process.exit(0)

        process.on('message', common.must_call_at_least(on_bye, 1))

        is_second_worker = os.environ.get('WORKER2_NAME') == WORKER2_NAME
        socket1 = dgram.create_socket('udp4', common.must_not_call())
        socket2 = dgram.create_socket('udp4', common.must_not_call())
        socket3 = dgram.create_socket('udp4', common.must_not_call())

        def fail(err: Any) -> None:
            raise AssertionError(err)  # assert.fail(err)

        socket1.on('error', fail)
        socket2.on('error', fail)

        def on_bind3() -> None:
            port3 = socket3.address().port
            assert isinstance(port3, int)
            process.send('success')

        # First worker should bind, second should err
        socket3_on_bind = common.must_not_call() if is_second_worker else \
            common.must_call(on_bind3)
        # An error is expected only in the second worker
        socket3_on_error = common.must_not_call() if not is_second_worker else \
            common.must_call(lambda err: process.send(f'socket3:{err.code}'))
        address = common.localhost_ipv4
        opt1 = {'address': address, 'port': 0, 'exclusive': False}
        opt2 = {'address': address, 'port': common.PORT, 'exclusive': False}
        opt3 = {'address': address, 'port': common.PORT + 1, 'exclusive': True}

        def on_bind2() -> None:
            port2 = socket2.address().port
            assert isinstance(port2, int)
            socket3.on('error', socket3_on_error)
            socket3.bind(opt3, socket3_on_bind)

        def on_bind1() -> None:
            port1 = socket1.address().port
            assert isinstance(port1, int)
            socket2.bind(opt2, common.must_call(on_bind2))

        socket1.bind(opt1, common.must_call(on_bind1))


test_dgram_bind_shared_ports = common.node_test(__file__)
if __name__ == '__main__':
    common.run(main)
