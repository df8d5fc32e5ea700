"""Run a child with pipes for stdin, stdout and stderr: feed it input and collect its output.

``Redirect.PIPE`` gives each stream a new pipe whose parent end the
``Spawned`` keeps; ``communicate()`` writes the input and reads both outputs
on helper threads, so a child that writes more than a pipe holds before
reading all its input cannot deadlock against us. With a timeout it raises
``TimeoutError`` and keeps what it read: end the child, then call it again.
"""

import sys

import safehandles as sh

# Upper-cases its input to stdout and reports the size on stderr.
SHOUT = r"""
import sys
data = sys.stdin.buffer.read()
sys.stdout.buffer.write(data.upper())
sys.stderr.write(f"read {len(data)} bytes")
"""

# Says hello, then hangs.
HANG = "import time; print('started', flush=True); time.sleep(60)"

PIPE = sh.Redirect.PIPE


def main() -> None:
    data = b"safehandles " * 100_000  # 1.2 MB: far more than a pipe's buffer holds
    with sh.spawn([sys.executable, "-c", SHOUT], stdin=PIPE, stdout=PIPE, stderr=PIPE) as child:
        out, err = child.communicate(data, timeout=60)
        print("stdout:", out[:23], f"... ({len(out)} bytes)")
        print("stderr:", err.decode())
        print("exit code:", child.process.exit_code)

    with sh.spawn([sys.executable, "-c", HANG], stdout=PIPE, stderr=sh.Redirect.STDOUT) as child:
        try:
            child.communicate(timeout=3)
        except TimeoutError:
            child.process.terminate(exit_code=9)  # then collect what it said before
        out, _ = child.communicate(timeout=30)
        print("hanging child said:", out.decode().strip(), "and was ended with", child.process.exit_code)


if __name__ == "__main__":
    # safehandles' own leak check: what the program left open (with where it was created),
    # and what it dropped without closing (closed by finalizers, warned about with ResourceWarning).
    with sh.LeakCheck() as leaks:
        main()
    print("leak check:", leaks)
    sys.exit(0 if leaks.clean else 1)
