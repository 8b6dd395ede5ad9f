# Node: test/parallel/test-dgram-blocklist.js
from typing import Any

import dgram_uv as dgram
from compat import common


def main() -> None:
    # net.BlockList -> dgram.BlockList
    block_list1 = dgram.BlockList()
    block_list1.add_address(common.localhost_ipv4)

    connect_socket = dgram.create_socket({'type': 'udp4', 'sendBlockList': block_list1})

    def on_connect(err: Any = None) -> None:
        assert getattr(err, 'code', None) == 'ERR_IP_BLOCKED', err
        connect_socket.close()

    connect_socket.connect(9999, common.localhost_ipv4, common.must_call(on_connect))

    block_list2 = dgram.BlockList()
    block_list2.add_address(common.localhost_ipv4)
    send_socket = dgram.create_socket({'type': 'udp4', 'sendBlockList': block_list2})

    def on_send(err: Any = None, *args: Any) -> None:
        assert getattr(err, 'code', None) == 'ERR_IP_BLOCKED', err
        send_socket.close()

    send_socket.send('hello', 9999, common.localhost_ipv4, common.must_call(on_send))

    block_list3 = dgram.BlockList()
    block_list3.add_address(common.localhost_ipv4)
    receive_socket = dgram.create_socket({'type': 'udp4', 'receiveBlockList': block_list3})
    # Hack to close the socket
    check = block_list3.check

    def patched_check(*args: Any) -> Any:
        dgram.next_tick(lambda: receive_socket.close())
        return check(*args)

    block_list3.check = patched_check
    receive_socket.on('message', common.must_not_call())

    def on_bound() -> None:
        address_info = receive_socket.address()
        client = dgram.create_socket('udp4')

        def on_sent(err: Any = None, *args: Any) -> None:
            assert not err
            client.close()

        client.send('hello', address_info.port, address_info.address, common.must_call(on_sent))

    receive_socket.bind(0, common.localhost_ipv4, common.must_call(on_bound))


test_dgram_blocklist = common.node_test(__file__)
if __name__ == '__main__':
    common.run(main)
