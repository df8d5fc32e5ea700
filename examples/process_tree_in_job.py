"""A child process tree in a Job: nothing the child starts escapes, and closing the job ends them all.

``spawn(..., job=job)`` creates the child suspended, puts it into the job and
only then lets it run, so even a grandchild it starts in its very first line
is in the job (assigning after a plain start leaves that window open). The
job is set to kill on close: when its last handle closes, here at the end of
the ``with`` block (or when this script dies), Windows ends every process
still in it.
"""

import sys

import safehandles as sh

# The child starts a grandchild at once, tells us its pid, and waits for it.
CHILD = r"""
import subprocess, sys
grandchild = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
print(grandchild.pid, flush=True)
grandchild.wait()
"""


def read_line(end: sh.PipeEnd) -> bytes:
    """One line from a pipe end (the child flushes it whole, but a read may see part of it)."""
    line = b""
    while not line.endswith(b"\n"):
        chunk = end.read(1)
        if not chunk:
            break
        line += chunk
    return line


def main() -> None:
    with sh.Job.create() as job:
        job.kill_on_close()
        with sh.spawn([sys.executable, "-c", CHILD], job=job, stdout=sh.Redirect.PIPE) as child:
            assert child.stdout is not None  # Redirect.PIPE: our end of the child's stdout
            grandchild_pid = int(read_line(child.stdout))
            # QUERY_INFORMATION for IsProcessInJob (Wine wants it; Windows takes the limited right).
            access = sh.ProcessAccess.SYNCHRONIZE | sh.ProcessAccess.QUERY_INFORMATION
            with sh.Process.open(grandchild_pid, access=access) as grandchild:
                print("child runs:", child.process.image_path.rsplit("\\", 1)[-1])
                print("child in the job:", job.contains(child.process))
                print("grandchild in the job:", job.contains(grandchild))
                print("processes in the job:", job.accounting().active_processes)
                job.close()  # the last handle: kill-on-close ends the whole tree
                ended = child.process.wait(30) and grandchild.wait(30)
                print("job closed, child and grandchild ended:", ended)


if __name__ == "__main__":
    # safehandles' own leak check: what the program left open (with where it was created),
    # and what it dropped without closing (closed by finalizers, warned about with ResourceWarning).
    with sh.LeakCheck() as leaks:
        main()
    print("leak check:", leaks)
    sys.exit(0 if leaks.clean else 1)
