# Node: test/internet/test-dgram-multicast-set-interface-lo.js
# Runs in a private network namespace (compat/netns.py, topology 'multicast'): the
# "other interface" is dgu0 (10.77.0.1), lo has MULTICAST on, 224.0.0.0/4 is routed
# through dgu0; nothing leaves the machine. The timeout's common.skip('Check filter
# policy') cannot be legitimate there, so netns_test reports a skip as a failure.
import os
import sys
import time
from typing import Any

import dgram_uv as dgram
from compat import common, netns

# common.inFreeBSDJail and common.isSunOS are False on Linux: no skip.

# All SunOS systems must be able to pass this manual test before the
#   following barrier can be removed:
# $ socat UDP-RECVFROM:12356,ip-add-membership=224.0.0.115:127.0.0.1,fork \
#   EXEC:hostname &
# $ echo hi |socat STDIO \
#   UDP4-DATAGRAM:224.0.0.115:12356,ip-multicast-if=127.0.0.1

MULTICASTS = {
    'IPv4': ['224.0.0.115', '224.0.0.116', '224.0.0.117'],
    'IPv6': ['ff02::1:115', 'ff02::1:116', 'ff02::1:117'],
}
LOOPBACK = {'IPv4': '127.0.0.1', 'IPv6': '::1'}
ANY = {'IPv4': '0.0.0.0', 'IPv6': '::'}
FAM = 'IPv4'

# Windows wont bind on multicasts so its filtering is by port.
PORTS = {}
for _i, _mcast in enumerate(MULTICASTS[FAM]):
    PORTS[_mcast] = common.PORT + (_i if common.is_windows else 0)

UDP = {'IPv4': 'udp4', 'IPv6': 'udp6'}

TIMEOUT = common.platform_timeout(5000)
NOW = int(time.time() * 1000)   # Date.now()


def TMPL(tail: object) -> str:
    return f'{NOW} - {tail}'


def _interface_address(network_interfaces: dict[str, list[netns.InterfaceAddress]]
                       ) -> str | None:
    # Take the first non-internal interface as the other interface to isolate
    # from loopback. Ideally, this should check for whether or not this interface
    # and the loopback have the MULTICAST flag.
    for name, interfaces in network_interfaces.items():
        for local_interface in interfaces:
            if not local_interface.internal and local_interface.family == FAM:
                interface_address = local_interface.address
                # On Windows, IPv6 would need: `%${localInterface.scopeid}`
                if FAM == 'IPv6':
                    interface_address += f'{interface_address}%{name}'
                return interface_address
    return None


def main() -> None:
    # Node's require('os').networkInterfaces()
    interface_address = _interface_address(netns.network_interfaces())

    assert interface_address

    messages = [
        {'tail': 'First message to send', 'mcast': MULTICASTS[FAM][0], 'rcv': True},
        {'tail': 'Second message to send', 'mcast': MULTICASTS[FAM][0], 'rcv': True},
        {'tail': 'Third message to send', 'mcast': MULTICASTS[FAM][1], 'rcv': True,
         'newAddr': interface_address},
        {'tail': 'Fourth message to send', 'mcast': MULTICASTS[FAM][2]},
        {'tail': 'Fifth message to send', 'mcast': MULTICASTS[FAM][1], 'rcv': True},
        {'tail': 'Sixth message to send', 'mcast': MULTICASTS[FAM][2], 'rcv': True,
         'newAddr': LOOPBACK[FAM]},
    ]

    if sys.argv[1:2] != ['child']:
        parent(interface_address, messages)

    if sys.argv[1:2] == ['child']:
        child()


def parent(interface_address: str, messages: list[dict[str, Any]]) -> None:
    IFACES = [ANY[FAM], interface_address, LOOPBACK[FAM]]
    workers: dict[int, netns.ChildProcess] = {}
    listeners = len(MULTICASTS[FAM]) * 2
    listening = 0
    dead = 0
    i = 0
    done = 0

    def kill_subprocesses(subprocesses: dict[int, netns.ChildProcess]) -> None:
        for each in subprocesses.values():
            each.kill()

    def on_timeout() -> None:
        # Exit the test if it doesn't succeed within the TIMEOUT.
        print(f'[PARENT] Responses were not received within {TIMEOUT} ms.', file=sys.stderr)
        print('[PARENT] Skip', file=sys.stderr)

        kill_subprocesses(workers)
        common.skip('Check filter policy')

        raise SystemExit(1)

    timer = dgram.set_timeout(on_timeout, TIMEOUT)

    # Launch the child processes.
    def launch(index: int) -> None:
        IFACE = IFACES[index % len(IFACES)]
        MULTICAST = MULTICASTS[FAM][index % len(MULTICASTS[FAM])]

        messages_needed = [TMPL(m['tail']) for m in messages
                           if m.get('rcv') and m['mcast'] == MULTICAST]
        # fork()'s argv entries are strings in Node too (String(number)).
        worker = netns.fork(__file__, 'child', IFACE, MULTICAST, str(len(messages_needed)),
                            str(NOW))
        workers[worker.pid] = worker

        # Node sets worker.messagesReceived / messagesNeeded / isDone on the ChildProcess.
        worker.messages_received = []
        worker.messages_needed = messages_needed
        worker.is_done = False

        # Handle the death of workers.
        def on_exit(code: int | None, signal: str | None) -> None:
            nonlocal dead
            # Don't consider this a true death if the worker has finished
            # successfully or if the exit code is 0.
            if worker.is_done or code == 0:
                return

            dead += 1
            print(f'[PARENT] Worker {worker.pid} died. {dead} dead of {listeners}',
                  file=sys.stderr)

            if dead == listeners:
                print('[PARENT] All workers have died.', file=sys.stderr)
                print('[PARENT] Fail', file=sys.stderr)

                kill_subprocesses(workers)

                raise SystemExit(1)

        worker.on('exit', on_exit)

        def on_message(msg: dict[str, Any]) -> None:
            nonlocal listening, done
            if msg.get('listening'):
                listening += 1

                if listening == listeners:
                    # All child process are listening, so start sending.
                    send_socket.send_next()
            elif msg.get('message'):
                worker.messages_received.append(msg['message'])

                if len(worker.messages_received) == len(worker.messages_needed):
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
                            for needed in each.messages_needed:
                                if buf == needed:
                                    count += 1
                                    break

                        print(f'[PARENT] {pid} received {count} matching messages.',
                              file=sys.stderr)

                        assert count == len(each.messages_needed), \
                            'A worker received an invalid multicast message'

                    dgram.clear_timeout(timer)
                    print('[PARENT] Success', file=sys.stderr)
                    kill_subprocesses(workers)

        worker.on('message', on_message)

    for index in range(listeners):
        launch(index)

    send_socket = dgram.create_socket({
        'type': UDP[FAM],
        'reuseAddr': True,
    })

    # Don't bind the address explicitly when sending and start with
    # the OSes default multicast interface selection.
    send_socket.bind(common.PORT, ANY[FAM])
    send_socket.on('listening',
                   lambda: print(f'outgoing iface {interface_address}', file=sys.stderr))

    send_socket.on('close', lambda: print('[PARENT] sendSocket closed', file=sys.stderr))

    def send_next() -> None:
        nonlocal i
        msg = messages[i] if i < len(messages) else None
        i += 1

        if not msg:
            send_socket.close()
            return
        print(TMPL(NOW), file=sys.stderr)   # Node logs TMPL(NOW, msg.tail): TMPL takes one
        buf = TMPL(msg['tail']).encode()
        if msg.get('newAddr'):
            print(f'changing outgoing multicast {msg["newAddr"]}', file=sys.stderr)
            send_socket.set_multicast_interface(msg['newAddr'])

        def on_send(err: BaseException | None, *_: object) -> None:
            if err is not None:   # assert.ifError(err)
                raise err
            print(f'[PARENT] sent {buf.decode()!r} to {msg["mcast"]}:{PORTS[msg["mcast"]]}',
                  file=sys.stderr)

            dgram.next_tick(send_socket.send_next)

        send_socket.send(buf, 0, len(buf), PORTS[msg['mcast']], msg['mcast'], on_send)

    # Node stores sendNext on the socket; a Python attribute does the same.
    send_socket.send_next = send_next


def child() -> None:
    # Node's process.argv[3..6] are sys.argv[2..5] here (no node binary in front).
    IFACE = sys.argv[2]
    MULTICAST = sys.argv[3]
    NEEDEDMSGS = int(sys.argv[4])
    SESSION = int(sys.argv[5])
    received_messages: list[bytes] = []

    print(f'pid {os.getpid()} iface {IFACE} MULTICAST {MULTICAST}', file=sys.stderr)
    listen_socket = dgram.create_socket({
        'type': UDP[FAM],
        'reuseAddr': True,
    })

    def on_message(buf: bytes, rinfo: Any) -> None:
        # Examine udp messages only when they were sent by the parent.
        if not buf.decode().startswith(str(SESSION)):
            return

        print(f'[CHILD] {os.getpid()} received {buf.decode()!r} from {rinfo}', file=sys.stderr)

        received_messages.append(buf)

        closecb = None

        if len(received_messages) == NEEDEDMSGS:
            listen_socket.close()

            def closecb(*_: object) -> None:
                raise SystemExit(0)   # process.exit()

        netns.process_send({'message': buf.decode()}, closecb)

    listen_socket.on('message', on_message)

    def on_listening() -> None:
        listen_socket.add_membership(MULTICAST, IFACE)
        netns.process_send({'listening': True})

    listen_socket.on('listening', on_listening)

    if common.is_windows:
        listen_socket.bind(PORTS[MULTICAST], ANY[FAM])
    else:
        listen_socket.bind(common.PORT, MULTICAST)


test_dgram_multicast_set_interface_lo = netns.netns_test(__file__, topology='multicast')
if __name__ == '__main__':
    common.run(main)
