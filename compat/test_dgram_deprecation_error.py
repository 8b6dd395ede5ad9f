# Node: test/parallel/test-dgram-deprecation-error.js
import sys
from collections.abc import Callable

import dgram_uv as dgram
from compat import common

properties_to_test = [
    '_handle',
    '_receiving',
    '_bindState',
    '_queue',
    '_reuseAddr',
]

methods_to_test = [
    '_healthCheck',
    '_stopReceiving',
]


def main() -> None:
    sock = dgram.create_socket('udp4')
    try:
        test_number: int | None = int(sys.argv[1], 10)
    except (IndexError, ValueError):
        test_number = None  # parseInt gave NaN: this is the parent

    def property_cases(prop_name: str) -> list[Callable[[], None]]:
        def getter() -> None:
            # Test property getter
            common.expects_warning(
                'DeprecationWarning',
                f'Socket.prototype.{prop_name} is deprecated',
                'DEP0112'
            )
            getattr(sock, prop_name)

        def setter() -> None:
            # Test property setter
            common.expects_warning(
                'DeprecationWarning',
                f'Socket.prototype.{prop_name} is deprecated',
                'DEP0112'
            )
            setattr(sock, prop_name, None)

        return [getter, setter]

    def method_case(prop_name: str) -> Callable[[], None]:
        def call() -> None:
            common.expects_warning(
                'DeprecationWarning',
                f'Socket.prototype.{prop_name}() is deprecated',
                'DEP0112'
            )
            getattr(sock, prop_name)()

        return call

    cases: list[Callable[[], None]] = []
    for prop_name in properties_to_test:
        cases.extend(property_cases(prop_name))
    cases.extend(method_case(prop_name) for prop_name in methods_to_test)

    if test_number is None:
        # child_process.fork(process.argv[1], [String(i)]) for every case.
        children = [common.spawn_child(__file__, str(i)) for i in range(len(cases))]
        for child in children:
            code = child.wait()
            # Pass on child exit code
            if code > 0:
                raise SystemExit(code)
        return

    assert 0 <= test_number < len(cases)
    cases[test_number]()


test_dgram_deprecation_error = common.node_test(__file__)
if __name__ == '__main__':
    common.run(main)
