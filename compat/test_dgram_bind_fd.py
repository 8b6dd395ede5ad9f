# Node: test/parallel/test-dgram-bind-fd.js
import sys
from typing import Any

import dgram_uv as dgram
from compat import common
from dgram_uv._binding.udp_wrap import (
    UDP,  # internalBinding('udp_wrap').UDP
    UV_UDP_REUSEADDR,  # require('os').constants.UV_UDP_REUSEADDR
)

BUFFER_SIZE = 4096


def create_handle(reuse_addr: bool, udp4: bool, bind_address: str) -> UDP:
    flags = 0
    if reuse_addr:
        flags |= UV_UDP_REUSEADDR

    handle = UDP()
    err = 0

    if udp4:
        err = handle.bind(bind_address, 0, flags)
    else:
        err = handle.bind6(bind_address, 0, flags)
    assert err >= 0, str(err)
    assert handle.fd != -1
    return handle


def on_socket_error(err: BaseException) -> None:
    print(str(err), file=sys.stderr)
    raise AssertionError(str(err))


def with_options(reuse_addr: bool, udp4: bool) -> None:
    type_ = 'udp4' if udp4 else 'udp6'
    bind_address = common.localhost_ipv4 if udp4 else '::1'
    fd: int | None = None

    receiver = dgram.create_socket({'type': type_})

    def on_receiver_bound() -> None:
        nonlocal fd
        port = receiver.address().port
        address = receiver.address().address
        # Create a handle to reuse its fd.
        handle = create_handle(reuse_addr, udp4, bind_address)

        fd = handle.fd
        assert handle.fd != -1

        socket = dgram.create_socket({
            'type': type_,
            'recvBufferSize': BUFFER_SIZE,
            'sendBufferSize': BUFFER_SIZE,
        })

        def on_bound() -> None:
            # Test address().
            rinfo: dict[str, object] = {}
            err = handle.getsockname(rinfo)
            assert err == 0, err
            socket_rinfo = socket.address()
            assert rinfo['address'] == socket_rinfo.address
            assert rinfo['port'] == socket_rinfo.port

            # Test buffer size.
            recv_buffer_size = socket.get_recv_buffer_size()
            send_buffer_size = socket.get_send_buffer_size()

            # note: linux will double the buffer size
            expected_buffer_size = BUFFER_SIZE * 2 if common.is_linux else BUFFER_SIZE
            assert recv_buffer_size == expected_buffer_size, recv_buffer_size
            assert send_buffer_size == expected_buffer_size, send_buffer_size

            socket.send(str(fd), port, address)

        socket.bind({
            'port': 0,
            'address': bind_address,
            'fd': fd,
        }, common.must_call(on_bound))

        def on_message(data: bytes, rinfo: object) -> None:
            assert data.decode('utf-8') == str(fd), data
            socket.close()

        socket.on('message', common.must_call(on_message))
        socket.on('error', on_socket_error)
        socket.on('close', common.must_call())

    receiver.bind({
        'port': 0,
        'address': bind_address,
    }, common.must_call(on_receiver_bound))

    def on_receiver_message(data: bytes, rinfo: Any) -> None:
        assert data.decode('utf-8') == str(fd), data
        receiver.send(str(fd), rinfo.port, rinfo.address)
        dgram.next_tick(lambda: receiver.close())

    receiver.on('message', common.must_call(on_receiver_message))
    receiver.on('error', on_socket_error)
    receiver.on('close', common.must_call())


def main() -> None:
    # (Node skips this test on Windows only.)
    with_options(True, True)
    with_options(False, True)
    if common.has_ipv6:
        with_options(False, False)


test_dgram_bind_fd = common.node_test(__file__)
if __name__ == '__main__':
    common.run(main)
