"""Types a checker can trust: ``mypy --strict`` accepts a user's program written
against the public API (snake_case and Node's camelCase, keyword sends, typed
listeners) and rejects one with a misspelt name or a wrong argument type."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

GOOD = '''
from __future__ import annotations

import dgram_uv as dgram
from dgram_uv import AddressInfo, RemoteInfo, SocketOptions, errors


def on_message(msg: bytes, rinfo: RemoteInfo) -> None:
    print(msg.decode(), rinfo.address, rinfo.port, rinfo.family, rinfo.size)


def on_error(err: BaseException) -> None:
    print(err)


options: SocketOptions = {'type': 'udp4', 'reuseAddr': True}
server = dgram.create_socket(options)
server.on('message', on_message)
server.on('error', on_error)
server.once('listening', lambda: print(server.address().port))
server.bind(41234, '127.0.0.1', lambda: None)
server.bind({'port': 0, 'exclusive': True})
server.setTTL(5)
server.set_multicast_ttl(2)
server.addMembership('224.0.0.1')
where: AddressInfo = server.address()

client = dgram.createSocket('udp6', on_message)
client = dgram.create_socket(type='udp4', reuse_addr=True, recv_buffer_size=4096)
client.send(b'data', 41234, '127.0.0.1', lambda err, n=0: None)
client.send(b'data', port=41234, address='127.0.0.1')
client.send('text', 0, 2, 41234)
client.send([b'a', 'b'], offset=None, port='41234', callback=print)
client.connect(41234, '127.0.0.1', lambda *err: None)
client.getSendQueueCount()
client.unref().ref().close(lambda: None)
timer = dgram.setTimeout(print, 10, 'late')
timer.unref()
dgram.clearTimeout(timer)
dgram.next_tick(print, 'tick')
try:
    dgram.run()
except errors.NodeError as err:
    print(err.code)
print(dgram.__version__)
'''

BAD = '''
import dgram_uv as dgram

sock = dgram.creat_socket('udp4')
ok = dgram.create_socket('udp4')
ok.setTTl(5)
ok.send(b'x', 'port-as-list', [1])
'''


def test_mypy_strict_accepts_user_code_and_rejects_typos(tmp_path: Path) -> None:
    (tmp_path / 'good.py').write_text(GOOD)
    (tmp_path / 'bad.py').write_text(BAD)
    result = subprocess.run(
        [sys.executable, '-m', 'mypy', '--strict', '--no-incremental',
         '--cache-dir', str(tmp_path / 'cache'), 'good.py', 'bad.py'],
        cwd=tmp_path, capture_output=True, text=True, timeout=300,
        # The editable install hides the package from mypy: point it at the checkout.
        env={**os.environ, 'MYPYPATH': str(Path(__file__).resolve().parent.parent)})
    lines = [line for line in result.stdout.splitlines() if ': error:' in line]
    assert not [line for line in lines if line.startswith('good.py')], result.stdout
    bad = '\n'.join(line for line in lines if line.startswith('bad.py'))
    assert re.search(r'bad\.py:4: error: Module has no attribute "creat_socket"', bad), bad
    assert re.search(r'bad\.py:6: error: "Socket" has no attribute "setTTl"', bad), bad
    assert re.search(r'bad\.py:7: error: No overload variant of "send"', bad), bad
