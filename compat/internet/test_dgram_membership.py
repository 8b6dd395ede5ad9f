# Node: test/internet/test-dgram-membership.js
# Runs in a private network namespace (compat/netns.py, topology 'multicast'): the
# kernel picks dgu0 for 224.0.0.114 through the namespace's 224.0.0.0/4 route.
import functools
import re

import dgram_uv as dgram
from compat import common, netns

multicast_address = '224.0.0.114'

setup = functools.partial(dgram.create_socket, {'type': 'udp4', 'reuseAddr': True})


def main() -> None:
    # addMembership() with valid socket and multicast address should not throw
    socket = setup()
    socket.add_membership(multicast_address)
    socket.close()

    # dropMembership() without previous addMembership should throw
    socket = setup()
    common.assert_throws(
        lambda: socket.drop_membership(multicast_address),
        re.compile(r'^Error: dropMembership EADDRNOTAVAIL$'),
    )
    socket.close()

    # dropMembership() after addMembership() should not throw
    socket = setup()
    socket.add_membership(multicast_address)
    socket.drop_membership(multicast_address)
    socket.close()


test_dgram_membership = netns.netns_test(__file__, topology='multicast')
if __name__ == '__main__':
    common.run(main)
