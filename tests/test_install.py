"""dgram_uv installed as another project would: scripts/wheels builds the
wheelhouse (the patched pyuv build is cached, so this is quick), a fresh venv
outside the repository installs dgram-uv from it with pip (attrs from the
index), and programs run with that venv's python.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

RECEIVE = '''
import dgram_uv as dgram

server = dgram.create_socket('udp4')

def on_message(msg, rinfo):
    print(f'server got: {msg.decode()} from {rinfo.address}')
    server.close()

def on_listening():
    client = dgram.create_socket('udp4')
    client.send(b'Some bytes', server.address().port, '127.0.0.1', lambda err, n: client.close())

server.on('message', on_message)
server.on('listening', on_listening)
server.bind(0, '127.0.0.1')
dgram.run()
print('imported from', dgram.__file__)
'''

# A user's program typed against the pyuv stubs shipped in the wheel.
TYPED = '''
import pyuv
import dgram_uv as dgram

loop: pyuv.Loop = pyuv.Loop.default_loop()
udp = pyuv.UDP(loop)
udp.bind(('127.0.0.1', 0))
host, port = udp.getsockname()[:2]
name: str = pyuv.errno.errorcode[pyuv.errno.UV_EAGAIN]
sock: dgram.Socket = dgram.create_socket('udp4')
'''


def run(args: list[str | Path], cwd: Path, timeout: float = 120) -> str:
    proc = subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout, check=False)
    assert proc.returncode == 0, f'{args} failed ({proc.returncode}):\n{proc.stdout}{proc.stderr}'
    return proc.stdout


class UserVenv:
    def __init__(self, base: Path) -> None:
        self.dist = base / 'dist'
        self.home = base / 'project'   # the user's project: cwd of every command
        self.venv = base / 'venv'
        self.python = self.venv / 'bin' / 'python'
        self.home.mkdir()

    def run(self, *args: str | Path, timeout: float = 120) -> str:
        return run([self.python, *args], self.home, timeout)


@pytest.fixture(scope='module')
def user(tmp_path_factory: pytest.TempPathFactory) -> UserVenv:
    user = UserVenv(tmp_path_factory.mktemp('user'))
    assert ROOT not in user.home.parents
    run([ROOT / 'scripts' / 'wheels', user.dist], ROOT)
    run([sys.executable, '-m', 'venv', user.venv], user.home)
    user.run('-m', 'pip', 'install', '-q', '--disable-pip-version-check',
             '--find-links', user.dist, 'dgram-uv')
    return user


def test_wheelhouse_holds_the_two_wheels(user: UserVenv) -> None:
    names = sorted(p.name for p in user.dist.iterdir())
    assert len(names) == 2
    assert names[0].startswith('dgram_uv-') and names[0].endswith('-py3-none-any.whl')
    assert names[1].startswith('pyuv-1.4.0+dgramuv-cp')


def test_installed_program_receives_a_datagram(user: UserVenv) -> None:
    (user.home / 'receive.py').write_text(RECEIVE)
    out = user.run('receive.py', timeout=60).splitlines()
    assert out[0] == 'server got: Some bytes from 127.0.0.1'
    assert out[1] == f'imported from {user.venv}/lib/python3.{sys.version_info[1]}' \
                     '/site-packages/dgram_uv/__init__.py'


def test_installed_versions(user: UserVenv) -> None:
    out = user.run('-c', textwrap.dedent('''
        import importlib.metadata as md, pyuv
        print(md.version('pyuv'), pyuv.__version__, md.version('dgram-uv'))
        print(pyuv.Loop.fork.__doc__)
    '''))
    pyuv_meta, pyuv_version, dgram_version = out.splitlines()[0].split()
    assert (pyuv_meta, pyuv_version) == ('1.4.0+dgramuv', '1.4.0+dgramuv')
    assert out.splitlines()[1].startswith("Reinitialize the loop's kernel state")
    # It satisfies dgram_uv's own requirement, pyuv==1.4.0.
    requires = user.run('-c', "import importlib.metadata as md; print(md.requires('dgram-uv'))")
    assert "'pyuv==1.4.0'" in requires
    version_file = (ROOT / 'dgram_uv' / '_version.py').read_text()
    assert f"__version__ = '{dgram_version}'" in version_file


def test_every_module_of_the_tree_is_installed(user: UserVenv) -> None:
    # Subpackages included: the wheel is built by package discovery.
    site = user.run('-c', 'import dgram_uv, os; print(os.path.dirname(dgram_uv.__file__))').strip()
    tree = {p.relative_to(ROOT / 'dgram_uv') for p in (ROOT / 'dgram_uv').rglob('*')
            if p.suffix in ('.py', '.typed') and '__pycache__' not in p.parts}
    installed = {p.relative_to(site) for p in Path(site).rglob('*')
                 if p.suffix in ('.py', '.typed') and '__pycache__' not in p.parts}
    assert installed == tree


def test_pyuv_stubs_type_a_users_program(user: UserVenv) -> None:
    mypy = [sys.executable, '-m', 'mypy', '--strict', '--no-incremental',
            '--python-executable', str(user.python)]
    (user.home / 'typed.py').write_text(TYPED)
    run([*mypy, 'typed.py'], user.home)
    (user.home / 'typo.py').write_text(TYPED + 'pyuv.Tmer(loop)\nudp.send(("::1", 1), "text")\n')
    proc = subprocess.run([*mypy, 'typo.py'], cwd=user.home, capture_output=True, text=True,
                          timeout=120, check=False)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert 'typo.py:11: error: Module has no attribute "Tmer"' in proc.stdout
    assert 'typo.py:12: error: Argument 2 to "send" of "UDP" has incompatible type "str"' \
        in proc.stdout


def test_without_libuv1_import_fails_naming_it(user: UserVenv) -> None:
    # What the README promises for a machine without Debian's libuv1: pip
    # installs, import fails. Shown in a private mount namespace where an
    # overlay hides libuv.so.1 from the dynamic loader (needs root, as CI has).
    assert os.geteuid() == 0 and shutil.which('unshare'), 'needs root and unshare(1)'
    libdir = Path('/usr/lib/x86_64-linux-gnu')
    assert (libdir / 'libuv.so.1').exists(), f'libuv.so.1 is not in {libdir}'
    scratch = user.home.parent / 'overlay'
    scratch.mkdir()
    script = textwrap.dedent(f'''
        set -e
        mount --make-rprivate /
        scratch={scratch}
        mount -t tmpfs tmpfs "$scratch"
        mkdir "$scratch/upper" "$scratch/work"
        for f in {libdir}/libuv.so.1*; do mknod "$scratch/upper/$(basename "$f")" c 0 0; done
        mount -t overlay overlay \\
          -o lowerdir={libdir},upperdir="$scratch/upper",workdir="$scratch/work" {libdir}
        exec {user.python} -c 'import dgram_uv'
    ''')
    proc = subprocess.run(['unshare', '-m', 'bash', '-c', script], cwd=user.home,
                          capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert proc.stderr.rstrip().splitlines()[-1] == \
        'ImportError: libuv.so.1: cannot open shared object file: No such file or directory'
