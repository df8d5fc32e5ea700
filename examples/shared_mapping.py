"""Memory shared by two processes: a named file mapping, a view in each, and an event to hand over.

The parent creates a mapping backed by the paging file under a ``Local\\``
name and writes a request into its view; the child opens the mapping by name
(``FileMapping.open``), maps its own view, reads the request, writes its reply
after it, and signals a named event. Both views are the same physical pages,
so nothing is copied. It ends with safehandles' own leak check and exits 1
if anything it opened is still open.
"""

import os
import subprocess
import sys
import uuid

import safehandles as sh

SIZE = 4096
REPLY_AT = 1024  # the child writes its reply here


def child(mapping_name: str, event_name: str) -> None:
    """The second process: read the request from the shared view, write the reply, signal."""
    with (
        sh.FileMapping.open(mapping_name) as mapping,  # FILE_MAP_READ | FILE_MAP_WRITE
        mapping.map() as view,
        sh.Event.open(event_name, access=sh.EventAccess.MODIFY_STATE) as done,
    ):
        request = view.read(0, 64).rstrip(b"\0")
        view.write(REPLY_AT, b"pid %d read: %s" % (os.getpid(), request))
        view.flush()
        done.set()


def parent() -> None:
    token = uuid.uuid4()
    mapping_name = f"Local\\safehandles-example-mapping-{token}"
    event_name = f"Local\\safehandles-example-mapping-done-{token}"
    with (
        sh.FileMapping.create(SIZE, name=mapping_name) as mapping,
        mapping.map() as view,
        sh.Event.create(name=event_name, access=sh.EventAccess.SYNCHRONIZE) as done,  # we only wait
    ):
        print(f"mapping: {mapping.size} bytes named {mapping_name}, view of {len(view)} bytes")
        view.write(0, b"hello from the parent")
        # The child imports the same safehandles as this script, installed or not.
        root = os.path.dirname(os.path.dirname(os.path.abspath(sh.__file__)))
        argv = [__file__, "--child", mapping_name, event_name]
        code = f"import sys; sys.path.insert(0, {root!r}); sys.argv = {argv!r}; "
        code += "import runpy; runpy.run_path(sys.argv[0], run_name='__main__')"
        with subprocess.Popen([sys.executable, "-c", code]) as popen, sh.Process.from_popen(popen) as process:
            # Wait for the reply or for the child to die, whichever comes first.
            first = sh.wait_any([done, process], timeout=60)
            print(f"child replied: {first == 0}")
            print("reply:", view.read(REPLY_AT, 128).rstrip(b"\0").decode())
            popen.wait(60)
        print(f"child exited with {popen.returncode}")


def main() -> int:
    if sys.platform != "win32":
        print("this example needs Windows (or Windows Python under Wine)")
        return 0
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2], sys.argv[3])
        return 0
    # safehandles' own leak check: anything left open is listed with where it was created.
    with sh.LeakCheck() as leaks:
        parent()
    print("leak check:", leaks)
    return 0 if leaks.clean else 1


if __name__ == "__main__":
    sys.exit(main())
