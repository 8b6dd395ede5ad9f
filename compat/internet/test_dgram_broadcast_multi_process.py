# Node: test/internet/test-dgram-broadcast-multi-process.js
# Runs in a private network namespace (compat/netns.py, topology 'multicast'): the
# limited broadcast goes out dgu0 (10.77.0.1) and comes back through the kernel's
# broadcast loopback; nothing leaves the machine.
import os
import sys
from typing import Any

import dgram_uv as dgram
from compat import common, netns

# common.inFreeBSDJail is False on Linux: no skip.

LOCAL_BROADCAST_HOST = '255.255.255.255'
TIMEOUT = common.platform_timeout(5000)
messages = [
    b'First message to send',
    b'Second message to send',
    b'Third message to send',
    b'Fourth message to send',
]


def main() -> None:
    network_interfaces = netns.network_interfaces()   # Node's require('os').networkInterfaces()
    bind_address = None

    # Take the first non-internal interface as the address for binding.
    # Ideally, this should check for whether or not an interface is set up for
    # BROADCAST and favor internal/private interfaces.
    for interfaces in network_interfaces.values():
        local_interface = next((each for each in interfaces
                                if not each.internal and each.family == 'IPv4'), None)
        if local_interface is not None:
            bind_address = local_interface.address
            break
    assert bind_address

    if sys.argv[1:2] != ['child']:
        parent(bind_address)
    else:
        child(bind_address)


def parent(bind_address: str) -> None:
    workers: dict[int, netns.ChildProcess] = {}
    listeners = 3
    listening = 0
    dead = 0
    i = 0
    done = 0

    def on_timeout() -> None:
        # Exit the test if it doesn't succeed within TIMEOUT
        print(f'[PARENT] Responses were not received within {TIMEOUT} ms.', file=sys.stderr)
        print('[PARENT] Fail', file=sys.stderr)

        kill_subprocesses(workers)

        raise SystemExit(1)

    timer = dgram.set_timeout(on_timeout, TIMEOUT)

    # Launch child processes
    def launch() -> None:
        worker = netns.fork(__file__, 'child')
        workers[worker.pid] = worker

        # Node sets worker.messagesReceived / worker.isDone on the ChildProcess.
        worker.messages_received = []
        worker.is_done = False

        # Handle the death of workers
        def on_exit(code: int | None, signal: str | None) -> None:
            nonlocal dead
            # Don't consider this the true death if the worker
            # has finished successfully
            # or if the exit code is 0
            if worker.is_done or code == 0:
                return

            dead += 1
            print(f'[PARENT] Worker {worker.pid} died. {dead} dead of {listeners}',
                  file=sys.stderr)

            assert signal is not None

            if dead == listeners:
                print('[PARENT] All workers have died.', file=sys.stderr)
                print('[PARENT] Fail', file=sys.stderr)

                kill_subprocesses(workers)

                raise SystemExit(1)

        worker.on('exit', on_exit)

        def on_message(msg: dict[str, object]) -> None:
            nonlocal listening, done
            if msg.get('listening'):
                listening += 1

                if listening == listeners:
                    # All child process are listening, so start sending
                    send_socket.send_next()
            elif msg.get('message'):
                worker.messages_received.append(msg['message'])

                if len(worker.messages_received) == len(messages):
                    done += 1
                    worker.is_done = True
                    print(f'[PARENT] {worker.pid} received '
                          f'{len(worker.messages_received)} messages total.', file=sys.stderr)

                if done == listeners:
                    print('[PARENT] All workers have received the required number of '
                          'messages. Will now compare.', file=sys.stderr)

                    for pid, each in workers.items():
                        count = 0

                        for buf in each.messages_received:
                            for message in messages:
                                if buf == message.decode():
                                    count += 1
                                    break

                        print(f'[PARENT] {pid} received {count} matching messages.',
                              file=sys.stderr)

                        assert count == len(messages)

                    dgram.clear_timeout(timer)
                    print('[PARENT] Success', file=sys.stderr)
                    kill_subprocesses(workers)

        worker.on('message', on_message)

    for _x in range(listeners):
        launch()

    send_socket = dgram.create_socket({
        'type': 'udp4',
        'reuseAddr': True,
    })

    # Bind the address explicitly for sending
    # INADDR_BROADCAST to only one interface
    send_socket.bind(common.PORT, bind_address)
    send_socket.on('listening', lambda: send_socket.set_broadcast(True))

    send_socket.on('close', lambda: print('[PARENT] sendSocket closed', file=sys.stderr))

    def send_next() -> None:
        nonlocal i
        buf = messages[i] if i < len(messages) else None
        i += 1

        if not buf:
            try:
                send_socket.close()
            except Exception:
                pass
            return

        def on_send(err: BaseException | None, *_: object) -> None:
            if err is not None:   # assert.ifError(err)
                raise err
            print(f'[PARENT] sent {buf.decode()!r} to {LOCAL_BROADCAST_HOST}:{common.PORT}',
                  file=sys.stderr)

            dgram.next_tick(send_socket.send_next)

        send_socket.send(buf, 0, len(buf), common.PORT, LOCAL_BROADCAST_HOST, on_send)

    # Node stores sendNext on the socket; a Python attribute does the same.
    send_socket.send_next = send_next

    def kill_subprocesses(subprocesses: dict[int, netns.ChildProcess]) -> None:
        for subprocess in subprocesses.values():
            subprocess.kill()


def child(bind_address: str) -> None:
    received_messages: list[bytes] = []
    listen_socket = dgram.create_socket({
        'type': 'udp4',
        'reuseAddr': True,
    })

    def on_message(buf: bytes, rinfo: Any) -> None:
        # Receive udp messages only sent from parent
        if rinfo.address != bind_address:
            return

        print(f'[CHILD] {os.getpid()} received {buf.decode()!r} from {rinfo}', file=sys.stderr)

        received_messages.append(buf)

        netns.process_send({'message': buf.decode()})

        if len(received_messages) == len(messages):
            dgram.next_tick(lambda: listen_socket.close())

    listen_socket.on('message', on_message)

    def process_exit() -> None:
        raise SystemExit(0)   # process.exit()

    # HACK: Wait to exit the process to ensure that the parent
    # process has had time to receive all messages via process.send()
    # This may be indicative of some other issue.
    listen_socket.on('close', lambda: dgram.set_timeout(process_exit, 1000))

    listen_socket.on('listening', lambda: netns.process_send({'listening': True}))

    listen_socket.bind(common.PORT)


test_dgram_broadcast_multi_process = netns.netns_test(__file__, topology='multicast')
if __name__ == '__main__':
    common.run(main)
