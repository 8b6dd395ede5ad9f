"""The blaster of scripts/bench: 64-byte datagrams to 127.0.0.1:PORT, as fast as it can.

Usage: bench_sender.py PORT MAX_COUNT MAX_SECONDS [SIZE [GSO]]   (GSO: 1 or 0)

A connected UDP socket (``send`` skips the address parsing of ``sendto``)
with UDP generic segmentation offload (``UDP_SEGMENT``, Linux 4.18+): each
``send`` hands the kernel up to 128 datagrams of SIZE bytes in one buffer,
and the loopback path splits them into ordinary SIZE-byte datagrams before
they reach the receiving socket (which has no UDP_GRO), so the receiver sees
exactly what a plain ``sendto`` loop would produce.  Without GSO one sender
core manages about 400k datagrams/s on loopback, a bit slower than the
receivers measured here, which would then sit idle in ``epoll_wait`` between
datagrams; with GSO it does well over 1M/s, so the receiver's socket buffer
stays full and the receiver is always busy.  Falls back to one datagram per
``send`` where the kernel lacks UDP_SEGMENT, or with GSO 0.

Bounded three ways: MAX_COUNT datagrams, MAX_SECONDS of wall time, or the
receiver going away (the connected socket gets ECONNREFUSED from the kernel's
ICMP port-unreachable).  Prints the number of datagrams it handed the kernel.
"""

import socket
import sys
import time

SOL_UDP = getattr(socket, 'SOL_UDP', 17)
UDP_SEGMENT = getattr(socket, 'UDP_SEGMENT', 103)


def main() -> int:
    port, max_count, max_seconds = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
    size = int(sys.argv[4]) if len(sys.argv) > 4 else 64
    gso = sys.argv[5] != '0' if len(sys.argv) > 5 else True
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.connect(('127.0.0.1', port))
    send = sock.send
    segments = 1
    for want in (128, 64, 16) if gso else ():     # UDP_MAX_SEGMENTS: 64 before Linux 6.?, 128 after
        try:
            sock.setsockopt(SOL_UDP, UDP_SEGMENT, size)
            send(b'x' * (size * want))
            segments = want
            break
        except (OSError, ValueError):
            continue
    if segments == 1:
        try:
            sock.setsockopt(SOL_UDP, UDP_SEGMENT, 0)
        except OSError:
            pass
    payload = b'x' * (size * segments)
    sent = segments
    deadline = time.monotonic() + max_seconds
    burst = max(1, 1024 // segments)
    try:
        while sent < max_count and time.monotonic() < deadline:
            for _ in range(burst):
                send(payload)
            sent += burst * segments
    except OSError:
        pass   # ECONNREFUSED: the receiver closed its socket, done
    finally:
        sock.close()
    print(sent, flush=True)
    return 0


if __name__ == '__main__':
    sys.exit(main())
