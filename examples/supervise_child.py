"""Supervise a child: start it suspended, fenced in, checked before it runs, paused, and ended.

An automation script that runs a helper it does not fully trust wants it
boxed in *before* its first instruction. So the child is spawned
``suspended=True``, as a ``restricted()`` copy of our own token (fewer
privileges: here no ``SeShutdownPrivilege``), straight into a job that
forbids clipboard, desktop and log-off use (UI restrictions) and caps its
CPU. While it is still suspended the script checks all that, then resumes
it, pauses it for a moment with ``suspend()``, and ends it from inside with
a remote ``ExitProcess`` thread (``Thread.create_remote``), an exit code of
our choice. A native thread of our own that only sleeps
(``Thread.create`` at kernel32's ``Sleep``) is the deadline for that.
"""

import sys

import safehandles as sh

# The child: stdlib only (it has no safehandles on its path); it says hello and waits.
CHILD = "import os, time; print('child: running as', os.getpid(), flush=True); time.sleep(60)"

# Nothing the boxed-in helper needs, and a desktop script should not have to fear.
NO_UI = sh.JobUiLimit.READCLIPBOARD | sh.JobUiLimit.WRITECLIPBOARD | sh.JobUiLimit.DESKTOP
NO_UI |= sh.JobUiLimit.EXITWINDOWS


def read_line(end: sh.PipeEnd) -> bytes:
    """One line from a pipe end (the child flushes it whole, but a read may see part of it)."""
    line = b""
    while not line.endswith(b"\n"):
        chunk = end.read(1)
        if not chunk:
            break
        line += chunk
    return line


def fence(job: sh.Job) -> None:
    """Kill on close, UI restrictions and a CPU cap; say what the system reads back."""
    job.kill_on_close()
    job.set_ui_restrictions(NO_UI)
    try:
        print("ui restrictions:", job.ui_restrictions)
    except OSError as exc:  # Wine sets them but cannot read them back
        print(f"ui restrictions: set to {NO_UI} (cannot be read back here: {exc})")
    try:
        job.set_cpu_rate(50)
    except OSError as exc:  # Wine has no CPU rate control
        print(f"cpu rate: no cap on this system ({exc})")
    else:
        print(f"cpu rate: capped at {job.cpu_rate}%")


def main() -> None:
    kernel32 = sh.Module.find("kernel32.dll")
    # ASSIGN_PRIMARY: the restricted copy becomes the child's primary token.
    access = sh.TokenAccess.QUERY | sh.TokenAccess.DUPLICATE | sh.TokenAccess.ASSIGN_PRIMARY
    with (
        sh.AccessToken.open_process(access=access) as own,
        own.restricted(delete_privileges=["SeShutdownPrivilege"]) as restricted,
        sh.Job.create() as job,
    ):
        fence(job)
        args = [sys.executable, "-c", CHILD]
        with sh.Process.spawn(
            args, suspended=True, job=job, token=restricted, stdout=sh.Redirect.PIPE
        ) as child:
            assert child.stdout is not None  # Redirect.PIPE: our end of the child's stdout
            # Still suspended: nothing of it has run, and it is already in the job.
            print("child suspended, not running:", not child.process.wait(0.5))
            print("child in the job:", job.contains(child.process))
            with sh.AccessToken.open_process(child.process) as token:
                names = {privilege.name for privilege in token.privileges()}
            print("child token has SeShutdownPrivilege:", "SeShutdownPrivilege" in names)

            print("resumed, previous suspend count:", child.thread.resume())  # 1: it runs now
            print(read_line(child.stdout).decode().strip())

            # Pause it (a count of 0 before: it was running), then let it go on.
            print("paused, previous suspend count:", child.thread.suspend())
            print("still alive while paused:", child.process.exit_code is None)
            print("resumed again, previous suspend count:", child.thread.resume())

            # kernel32 is mapped at the same address in every process of a boot, so its
            # ExitProcess found here is ExitProcess there: the child ends itself with 3.
            with (
                sh.Thread.create(kernel32.symbol("Sleep"), 30_000) as deadline,
                sh.Thread.create_remote(child.process, kernel32.symbol("ExitProcess"), 3) as remote,
            ):
                first = sh.wait_any([child.process, deadline])
                print("child ended before the deadline:", first == 0)
                deadline.terminate()  # our own native thread, holding nothing: safe to end
                remote.wait(30)
            print("child exit code:", child.process.exit_code)


if __name__ == "__main__":
    # safehandles' own leak check: what the program left open (with where it was created),
    # and what it dropped without closing (closed by finalizers, warned about with ResourceWarning).
    with sh.LeakCheck() as leaks:
        main()
    print("leak check:", leaks)
    sys.exit(0 if leaks.clean else 1)
