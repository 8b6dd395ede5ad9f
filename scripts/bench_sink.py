"""The sink of the send benchmark: receives and counts, never measured.

Usage: bench_sink.py MAX_SECONDS [POLL_MS]

Binds 127.0.0.1:0 with an 8 MB receive buffer and prints the port.  It drains
the socket without blocking until it is empty, then sleeps POLL_MS (default 1)
and drains again.  Sleeping instead of blocking in ``recv`` keeps the sender's
cost honest: a socket with a waiting reader makes every send also wake that
reader (a cost that would grow the slower the sender is), while a sleeping
sink costs the sender nothing beyond queueing the datagram.  The buffer holds
several milliseconds of the fastest sender, so the sink keeps up (the driver
reports the loss).  A zero-length datagram (sent by the driver after the
sender finished) ends it: it prints ``{"received": N}`` and exits.
"""

import json
import socket
import sys
import time

SO_RCVBUFFORCE = getattr(socket, 'SO_RCVBUFFORCE', 33)


def main() -> int:
    max_seconds = float(sys.argv[1])
    poll = (float(sys.argv[2]) if len(sys.argv) > 2 else 1.0) / 1000
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    for opt in (SO_RCVBUFFORCE, socket.SO_RCVBUF):   # FORCE: beyond rmem_max (root only)
        try:
            sock.setsockopt(socket.SOL_SOCKET, opt, 8 << 20)
            break
        except OSError:
            continue
    sock.bind(('127.0.0.1', 0))
    sock.setblocking(False)
    print(sock.getsockname()[1], flush=True)
    buf = bytearray(65536)
    recv_into = sock.recv_into
    received = 0
    deadline = time.monotonic() + max_seconds
    ended = False
    while not ended and time.monotonic() < deadline:
        try:
            while True:
                if recv_into(buf):
                    received += 1
                else:
                    ended = True
                    break
        except BlockingIOError:
            time.sleep(poll)
    print(json.dumps({'received': received, 'ended': ended}), flush=True)
    return 0


if __name__ == '__main__':
    sys.exit(main())
