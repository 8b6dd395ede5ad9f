"""Node's lib/internal: errors, validators, argument conventions, naming, the
EventEmitter and EventTarget implementations, dns lookup, the dgram socket
state, the IPC channel and the two sides of cluster."""
