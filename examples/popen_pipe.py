"""A child process whose stdout is a safehandles pipe end, read while the child runs.

``PipeEnd.fileno()`` gives ``subprocess`` the C runtime descriptor it wants, and
``Process.from_popen`` wraps the child's process handle (borrowed: the Popen
keeps it) for what Popen lacks, such as waiting on it beside other objects.
Closing our copy of the write end matters: the read only ends (``b""``) once
no process holds a write end any more.
"""

import gc
import subprocess
import sys
import warnings

import safehandles as sh

CHILD = "import sys; print('line one'); print('line two'); sys.exit(7)"


def main() -> None:
    reader, writer = sh.Pipe.create()  # neither end inheritable: Popen gives the child its own copy
    with reader, writer:
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD],
            stdin=subprocess.DEVNULL,
            stdout=writer.fileno(),  # typed code passes the descriptor; Popen(stdout=writer) works too
        )
        with child, sh.Process.from_popen(child) as process:
            writer.close()  # the child has its copy; ours would keep the pipe open forever
            output = b"".join(iter(reader.read, b""))  # until the child exits and its end closes
            finished = sh.wait_any([process], timeout=30)  # a Process waits like any kernel object
            print("child said:", output.decode().splitlines())
            print("child exited:", finished == 0, "with code", process.exit_code)


if __name__ == "__main__":
    # The library's leak check: every handle created from here on remembers where it was
    # created, and the snapshots list the wrappers opened and not closed in between.
    sh.start_tracking()
    before = sh.snapshot()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ResourceWarning)  # a handle dropped unclosed warns when finalized
        main()
        gc.collect()
    left_open = sh.snapshot().compare_to(before)
    sh.stop_tracking()
    forgotten = [str(w.message) for w in caught if issubclass(w.category, ResourceWarning)]
    for kind in left_open:
        print(kind)  # what is still open, with the traceback of where it was created
    for message in forgotten:
        print(message)  # what was dropped without closing (its finalizer closed it)
    print("leak check:", "nothing left open" if not left_open and not forgotten else "LEAKS")
    sys.exit(1 if left_open or forgotten else 0)
