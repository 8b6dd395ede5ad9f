# Type stubs for pyuv 1.4.0 (the patched build, with Loop.fork). pyuv is a
# package whose __init__ re-exports the C extension pyuv._cpyuv; the extension
# registers its submodules as pyuv._cpyuv.errno, .error, .dns, .fs, .util and
# .thread, reachable as attributes (pyuv.errno ...) but not importable as
# pyuv.errno, hence their stubs live under _cpyuv/.
from ._cpyuv import *
from ._cpyuv import dns as dns
from ._cpyuv import errno as errno
from ._cpyuv import error as error
from ._cpyuv import fs as fs
from ._cpyuv import thread as thread
from ._cpyuv import util as util

__version__: str
