"""``python -m dgram_uv``: run a Python script as ``node script.js`` runs one.

::

    python -m dgram_uv run script.py [args ...]    (or: python -m dgram_uv script.py)
    python -m dgram_uv trace script.py [args ...]  (the same, with dgram_uv.trace on)
    python -m dgram_uv --version

The script runs as ``__main__`` with ``sys.argv = [script, *args]`` and its
directory first on ``sys.path``, as ``python script.py`` would run it; then
the loop runs until nothing referenced is left (``dgram.run()``), as Node's
does after the main script.  The exit status is 0, or 1 after an uncaught
exception (printed as Python prints one, through ``sys.excepthook``), or the
code of a ``SystemExit``.  ``atexit`` handlers run once, after the loop, when
the interpreter exits.
"""

from __future__ import annotations

import builtins
import importlib
import importlib.machinery
import os
import sys
import types

import pyuv

from ._binding import loop as uv_loop
from ._version import __version__

USAGE = '''\
usage: python -m dgram_uv [run] script.py [args ...]
       python -m dgram_uv trace script.py [args ...]
       python -m dgram_uv --version

Runs script.py as __main__, then the dgram_uv loop until nothing referenced is
left (as `node script.js` does); exit status 0, or 1 after an uncaught exception.
trace: the same with dgram_uv.trace on (one line per libuv call on stderr;
DGRAM_UV_TRACE=uv,ticks adds next ticks, immediates and timeouts).'''


def versions() -> str:
    """``dgram_uv X (pyuv Y, libuv Z)``."""
    return f'dgram_uv {__version__} (pyuv {pyuv.__version__}, libuv {pyuv.LIBUV_VERSION})'


def _usage_error(message: str) -> int:
    print(f'{USAGE}\n\npython -m dgram_uv: {message}', file=sys.stderr)
    return 2


def _outside_runner(tb: types.TracebackType | None) -> types.TracebackType | None:
    # The traceback from the script's own frames on, as `python script.py` shows it.
    while tb is not None and tb.tb_frame.f_code.co_filename == __file__:
        tb = tb.tb_next
    return tb


def _exit_status(exc: SystemExit) -> int:
    # What the interpreter does with a SystemExit that reaches it.
    code = exc.code
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1


def _main_module(path: str) -> types.ModuleType:
    """A fresh ``__main__`` for the script (it stays ``__main__`` while the loop
    runs, as the script of ``python script.py`` does)."""
    module = types.ModuleType('__main__')
    module.__file__ = path
    module.__dict__['__builtins__'] = builtins
    module.__loader__ = importlib.machinery.SourceFileLoader('__main__', path)
    module.__spec__ = None
    module.__package__ = None
    sys.modules['__main__'] = module
    return module


def run_script(path: str, args: list[str]) -> int:
    """Run the script, then the loop; the exit status."""
    # This process runs the loop on purpose: no "the loop never ran" warning.
    uv_loop.silence_exit_warning()
    try:
        with open(path, 'rb') as file:
            source = file.read()
    except OSError as exc:
        print(f"python -m dgram_uv: can't open file {os.path.abspath(path)!r}: "
              f'[Errno {exc.errno}] {exc.strerror}', file=sys.stderr)
        return 2
    sys.argv = [path, *args]
    sys.path[0] = os.path.dirname(os.path.abspath(path))
    module = _main_module(path)
    try:
        code = compile(source, path, 'exec', dont_inherit=True)
        exec(code, module.__dict__)
        uv_loop.run()
    except SystemExit as exc:
        return _exit_status(exc)
    except KeyboardInterrupt:
        raise
    except BaseException as exc:
        tb = _outside_runner(exc.__traceback__)
        sys.excepthook(type(exc), exc.with_traceback(tb), tb)
        return 1
    return 0


def main(argv: list[str]) -> int:
    """``python -m dgram_uv ARGV``: the exit status."""
    if not argv or argv[0] in ('-h', '--help'):
        if not argv:
            return _usage_error('no script given')
        print(USAGE)
        return 0
    if argv[0] in ('-V', '--version'):
        print(versions())
        return 0
    command = 'run'
    if argv[0] in ('run', 'trace'):
        command, argv = argv[0], argv[1:]
    if not argv:
        return _usage_error(f'{command}: no script given')
    if argv[0].startswith('-'):
        return _usage_error(f'unknown option {argv[0]!r}')
    if command == 'trace':
        try:
            trace = importlib.import_module('dgram_uv.trace')
        except ModuleNotFoundError as exc:
            if exc.name != 'dgram_uv.trace':
                raise
            print('python -m dgram_uv trace: this dgram_uv has no dgram_uv.trace module',
                  file=sys.stderr)
            return 2
        # DGRAM_UV_TRACE=uv,ticks adds the ticks here too.
        trace.enable(ticks='ticks' in os.environ.get('DGRAM_UV_TRACE', '').lower())
    return run_script(argv[0], argv[1:])


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
