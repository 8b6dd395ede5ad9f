# Node: test/internet/test-dgram-multicast-ssm-multi-process.js
# Runs in a private network namespace (compat/netns.py, topology 'multicast'): the
# source is dgu0's IPv4 address (10.77.0.1), the group 232.1.1.1 is routed through
# dgu0 and reaches the children through multicast loopback; nothing leaves the machine.
import os
import sys
from typing import Any

import dgram_uv as dgram
from compat import common, netns

# common.inFreeBSDJail is False on Linux: no skip.

GROUP_ADDRESS = '232.1.1.1'
TIMEOUT = common.platform_timeout(5000)
messages = [
    b'First message to send',
    b'Second message to send',
    b'Third message to send',
    b'Fourth message to send',
]
workers: dict[int, netns.ChildProcess] = {}
listeners = 3
listening = 0
done = 0
dead = 0
send_socket: Any = None
timer: Any = None

source_address: str | None = None


def find_source_address() -> None:
    global source_address
    # Take the first non-internal interface as the IPv4 address for binding.
    # Ideally, this should favor internal/private interfaces.
    for interfaces in netns.network_interfaces().values():   # os.networkInterfaces()
        local_interface = next((each for each in interfaces
                                if not each.internal and each.family == 'IPv4'), None)
        if local_interface is not None:
            source_address = local_interface.address
            break
    assert source_address


def launch_child_process() -> None:
    worker = netns.fork(__file__, 'child')
    workers[worker.pid] = worker

    # Node sets worker.messagesReceived / worker.isDone on the ChildProcess.
    worker.messages_received = []
    worker.is_done = False

    # Handle the death of workers.
    def on_exit(code: int | None, signal: str | None) -> None:
        global dead
        # Don't consider this the true death if the worker has finished
        # successfully or if the exit code is 0.
        if worker.is_done or code == 0:
            return

        dead += 1
        print(f'[PARENT] Worker {worker.pid} died. {dead} dead of {listeners}', file=sys.stderr)

        if dead == listeners:
            print('[PARENT] All workers have died.', file=sys.stderr)
            print('[PARENT] Fail', file=sys.stderr)
            raise AssertionError('Failed')   # assert.fail()

    worker.on('exit', on_exit)

    def on_message(msg: dict[str, Any]) -> None:
        global listening, done
        if msg.get('listening'):
            listening += 1

            if listening == listeners:
                # All child process are listening, so start sending.
                send_socket.send_next()
            return
        if msg.get('message'):
            worker.messages_received.append(msg['message'])

            if len(worker.messages_received) == len(messages):
                done += 1
                worker.is_done = True
                print(f'[PARENT] {worker.pid} received {len(worker.messages_received)} '
                      'messages total.', file=sys.stderr)

            if done == listeners:
                print('[PARENT] All workers have received the required number of messages. '
                      'Will now compare.', file=sys.stderr)

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
                kill_children(workers)

    worker.on('message', on_message)


def kill_children(children: dict[int, netns.ChildProcess]) -> None:
    for each in children.values():
        each.kill()


def parent() -> None:
    global listening, dead, done, timer, send_socket
    listening = 0
    dead = 0
    i = 0
    done = 0

    def on_timeout() -> None:
        # Exit the test if it doesn't succeed within TIMEOUT.
        print(f'[PARENT] Responses were not received within {TIMEOUT} ms.', file=sys.stderr)
        print('[PARENT] Fail', file=sys.stderr)

        kill_children(workers)

        raise AssertionError('Failed')   # assert.fail()

    timer = dgram.set_timeout(on_timeout, TIMEOUT)

    # Launch child processes.
    for _x in range(listeners):
        launch_child_process()

    send_socket = dgram.create_socket('udp4')

    # The socket is actually created async now.
    def on_listening() -> None:
        send_socket.set_ttl(1)
        send_socket.set_broadcast(True)
        send_socket.set_multicast_ttl(1)
        send_socket.set_multicast_loopback(True)
        send_socket.add_source_specific_membership(source_address, GROUP_ADDRESS)

    send_socket.on('listening', on_listening)

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
            print(f'[PARENT] sent "{buf.decode()}" to {GROUP_ADDRESS}:{common.PORT}',
                  file=sys.stderr)
            dgram.next_tick(send_socket.send_next)

        send_socket.send(buf, 0, len(buf), common.PORT, GROUP_ADDRESS, on_send)

    # Node stores sendNext on the socket; a Python attribute does the same.
    send_socket.send_next = send_next


def child() -> None:
    received_messages: list[bytes] = []
    listen_socket = dgram.create_socket({
        'type': 'udp4',
        'reuseAddr': True,
    })

    def on_listening() -> None:
        listen_socket.set_multicast_loopback(True)
        listen_socket.add_source_specific_membership(source_address, GROUP_ADDRESS)

        def on_message(buf: bytes, rinfo: Any) -> None:
            print(f'[CHILD] {os.getpid()} received "{buf.decode()}" from {rinfo}',
                  file=sys.stderr)

            received_messages.append(buf)

            netns.process_send({'message': buf.decode()})

            if len(received_messages) == len(messages):
                # .dropSourceSpecificMembership() not strictly needed,
                # it is here as a sanity check.
                listen_socket.drop_source_specific_membership(source_address, GROUP_ADDRESS)
                dgram.next_tick(lambda: listen_socket.close())

        listen_socket.on('message', on_message)

        def process_exit() -> None:
            raise SystemExit(0)   # process.exit()

        # HACK: Wait to exit the process to ensure that the parent
        # process has had time to receive all messages via process.send()
        # This may be indicative of some other issue.
        listen_socket.on('close', lambda: dgram.set_timeout(process_exit,
                                                            common.platform_timeout(1000)))
        netns.process_send({'listening': True})

    listen_socket.on('listening', on_listening)

    listen_socket.bind(common.PORT)


def main() -> None:
    find_source_address()
    if sys.argv[1:2] != ['child']:
        parent()
    if sys.argv[1:2] == ['child']:
        child()


test_dgram_multicast_ssm_multi_process = netns.netns_test(__file__, topology='multicast')
if __name__ == '__main__':
    common.run(main)
