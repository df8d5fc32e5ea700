"""A child process whose stdout is a safehandles pipe end, read while the child runs.

``PipeEnd.fileno()`` gives ``subprocess`` the C runtime descriptor it wants, and
``Process.from_popen`` wraps the child's process handle (borrowed: the Popen
keeps it) for what Popen lacks, such as waiting on it beside other objects.
Closing our copy of the write end matters: the read only ends (``b""``) once
no process holds a write end any more.
"""

import subprocess
import sys

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
    # safehandles' own leak check: what the program left open (with where it was created),
    # and what it dropped without closing (closed by finalizers, warned about with ResourceWarning).
    with sh.LeakCheck() as leaks:
        main()
    print("leak check:", leaks)
    sys.exit(0 if leaks.clean else 1)
