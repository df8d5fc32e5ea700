"""A pytest plugin that fails tests which leave handles open.

Installed with the package: its ``pytest11`` entry point is named after this
module, ``safehandles.pytest_plugin``, so ``-p safehandles.pytest_plugin`` loads
it once whether it is installed or not, and ``-p no:safehandles.pytest_plugin``
turns it off. It does nothing until asked, per test or per run::

    @pytest.mark.handle_leaks            # check this test
    def test_worker(): ...

    def test_other(handle_leak_check):   # the same, as a fixture
        ...

    pytest --handle-leaks                # check every test

A checked test fails if, once it and its fixtures are done, it left open

* safehandles wrappers: reported by kind with each one's creation traceback;
* OS handles of this process (Windows): reported by object type and value,
  whichever library opened them (the standard streams' handles excepted:
  output capturing replaces them around every test phase).

Handle counts are noisy (a runtime opens handles lazily, the first named
object opens a directory, a thread's handle lingers until it is joined), so
the check warms up once per session, compares the *sets* of handle values
rather than counts, and before it reports anything collects garbage and gives
late closers a few short chances.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ._diagnostics._leak_check import LeakCheck

__all__ = ["LeakCheck", "handle_leak_check"]


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("safehandles")
    group.addoption(
        "--handle-leaks",
        action="store_true",
        default=False,
        help="fail every test that leaves safehandles wrappers or OS handles open",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "handle_leaks: fail this test if it leaves safehandles wrappers or OS handles open"
    )


@pytest.fixture
def handle_leak_check() -> Iterator[LeakCheck]:
    """Fail the test if it leaves wrappers or OS handles open (checked after its other fixtures)."""
    check = LeakCheck(record_forgotten=False)  # pytest reports ResourceWarnings itself
    check.start()
    yield check
    report = check.finish()
    if report:
        pytest.fail(report, pytrace=False)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Give the tests that asked for a leak check its fixture; leave every other test alone.

    Not an autouse fixture: that would cost every test of every project with
    this package installed a fixture set-up, checks or not. The fixture goes
    after the wider-scoped fixtures (set up once for many tests, so not this
    test's leaks) and before the test's own, so its teardown runs after theirs.
    """
    every = bool(config.getoption("handle_leaks"))
    for item in items:
        if not (every or item.get_closest_marker("handle_leaks")):
            continue
        names: list[str] | None = getattr(item, "fixturenames", None)
        if names is None or "handle_leak_check" in names:  # not a function, or it asked itself
            continue
        definitions = getattr(item, "_arg2fixturedefs", {})
        own = (
            i
            for i, name in enumerate(names)
            if definitions.get(name, (None,))[-1] is not None and definitions[name][-1].scope == "function"
        )
        position = next(own, len(names))
        names.insert(position, "handle_leak_check")
