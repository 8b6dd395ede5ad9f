# Node: test/parallel/test-dgram-udp6-link-local-address.js
#
# Network traffic must stay on loopback or inside a namespace of our own, and
# loopback has no link-local address: the test runs itself again inside a new
# network namespace (`unshare --net`) that has `lo` and a veth pair whose one
# end carries fe80::1 (no duplicate address detection, no other address).
# Without a namespace there is no interface with a link-local address that the
# test may use, and it ends as Node's does then: common.skip().
import ipaddress
import shutil
import subprocess
import sys
from typing import Any

import dgram_uv as dgram
from compat import common

NETNS_ARG = 'netns'
NETNS_SETUP = ' && '.join([
    'ip link set lo up',
    'ip link add dgram0 type veth peer name dgram1',
    'ip link set dgram0 addrgenmode none',
    'ip link set dgram1 addrgenmode none',
    'ip link set dgram0 up',
    'ip link set dgram1 up',
    'ip -6 addr add fe80::1/64 dev dgram0 nodad',
])
NO_NETNS = 77  # the namespace or its interfaces could not be made


def run_in_namespace() -> None:
    """The parent: run this file inside a fresh network namespace, pass on its status."""
    if shutil.which('unshare') is None or shutil.which('ip') is None:
        common.skip('cannot find any IPv6 interfaces with a link local address '
                    '(no unshare/ip to make a network namespace)')
    script = f'{{ {NETNS_SETUP}; }} >&2 || exit {NO_NETNS}; exec "$0" "$@"'
    argv = ['unshare', '--net', 'sh', '-c', script, *common.child_argv(__file__, NETNS_ARG)]
    status = subprocess.run(argv, cwd=common.ROOT, check=False).returncode
    if status == NO_NETNS or (status == 1 and not _can_unshare()):
        common.skip('cannot find any IPv6 interfaces with a link local address '
                    '(no network namespace could be made)')
    raise SystemExit(status)


def _can_unshare() -> bool:
    return subprocess.run(['unshare', '--net', 'true'], check=False,
                          capture_output=True).returncode == 0


def network_interfaces_ipv6() -> list[tuple[str, str, int]]:
    """(address, ifname, scopeid) of every IPv6 address, as os.networkInterfaces() has them."""
    entries = []
    with open('/proc/net/if_inet6', encoding='ascii') as table:
        for line in table:
            fields = line.split()
            if len(fields) < 6:
                continue
            address = str(ipaddress.IPv6Address(bytes.fromhex(fields[0])))
            entries.append((address, fields[5], int(fields[1], 16)))
    return entries


def linklocal() -> dict[str, Any] | None:
    for address, ifname, scopeid in network_interfaces_ipv6():
        if address.startswith('fe80:'):
            return {'address': address, 'ifname': ifname, 'scopeid': scopeid}
    return None


def main() -> None:
    if sys.argv[1:] != [NETNS_ARG]:
        run_in_namespace()
        return

    if not common.has_ipv6:
        common.skip('no IPv6 support')

    is_windows = common.is_windows

    iface = linklocal()
    if not iface:
        common.skip('cannot find any IPv6 interfaces with a link local address')

    address = iface['address'] if is_windows else f'{iface["address"]}%{iface["ifname"]}'
    message = 'Hello, local world!'
    client = dgram.create_socket('udp6')
    server = dgram.create_socket('udp6')

    def on_listening() -> None:
        port = server.address().port
        client.send(message, 0, len(message), port, address)

    def on_message(buf: bytes, info: Any) -> None:
        received = buf.decode()
        assert received == message, received
        # Check that the sender address is the one bound,
        # including the link local scope identifier.
        expected = f'{iface["address"]}%{iface["scopeid"]}' if is_windows else address
        assert info.address == expected, info.address
        server.close()
        client.close()

    server.on('listening', common.must_call(on_listening))
    server.on('message', common.must_call(on_message, 1))

    server.bind({'address': address})


test_dgram_udp6_link_local_address = common.node_test(__file__)
if __name__ == '__main__':
    common.run(main)
