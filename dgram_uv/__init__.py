"""dgram_uv: Node.js dgram for Python on libuv."""
