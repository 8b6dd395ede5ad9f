"""The native side, as Node's src/ and libuv are to lib/: the uv loop (``loop``),
timers and immediates (``timers``), the UDP handle (``udp_wrap``), libuv's
status codes (``uv``) and the system calls pyuv 1.4.0 lacks (``uv_compat``).

Nothing here raises Node's errors: failures are libuv status codes.
"""
