"""A single-instance guard: a named mutex, created with the least access it needs.

The first instance creates the mutex ``Local\\<name>`` and owns it while it
runs; a second instance finds the name taken (``created_new`` is False) and
leaves at once. The handles are made with ``access=MutexAccess.SYNCHRONIZE``
(``CreateMutexExW``): enough to wait for, own and release the mutex, and
nothing else, so a handle leaked to other code cannot change its security or
delete it. Here the second instance is this same script, run as a child. It
ends with safehandles' own leak check and exits 1 if anything it opened is
still open.
"""

import os
import subprocess
import sys
import uuid

import safehandles as sh

ALREADY_RUNNING = 3  # the exit code of an instance that found another one


def instance(name: str) -> int:
    """What every instance runs: 0 if it was the only one, ALREADY_RUNNING if another holds the name."""
    with sh.Mutex.create(name=name, initial_owner=True, access=sh.MutexAccess.SYNCHRONIZE) as guard:
        if not guard.created_new:
            # Ask the first instance to come forward: a later instance only ever sets the event
            # (CreateEventExW with MODIFY_STATE opens the existing one with just that right).
            with sh.Event.create(name=f"{name}-activate", access=sh.EventAccess.MODIFY_STATE) as activate:
                activate.set()
            return ALREADY_RUNNING  # opening the existing mutex never takes ownership
        print(f"first instance: owns {name} with access {guard.granted_access}")
        try:
            serve_as_first(name)
        finally:
            guard.release()
    return 0


def serve_as_first(name: str) -> None:
    # The first instance waits for the event (SYNCHRONIZE) and resets itself (MODIFY_STATE);
    # at most two helper runs at once (a semaphore, CreateSemaphoreExW with the same two rights);
    # a timer of its own gives up after 30 s (CreateWaitableTimerExW).
    both = sh.EventAccess.SYNCHRONIZE | sh.EventAccess.MODIFY_STATE
    slots_access = sh.SemaphoreAccess.SYNCHRONIZE | sh.SemaphoreAccess.MODIFY_STATE
    timer_access = sh.TimerAccess.SYNCHRONIZE | sh.TimerAccess.MODIFY_STATE
    with (
        sh.Event.create(name=f"{name}-activate", access=both) as activate,
        sh.Semaphore.create(2, 2, name=f"{name}-helpers", access=slots_access) as helpers,
        sh.WaitableTimer.create(access=timer_access) as give_up,
    ):
        give_up.set(30)
        with helpers.acquire(timeout=1):
            second = run_second_instance(name)
        print(f"second instance: exited with {second} (another instance is running)")
        asked = sh.wait_any([activate, give_up], timeout=0)
        print(f"the second instance asked this one to come forward: {asked == 0}")


def run_second_instance(name: str) -> int:
    # The child imports the same safehandles as this script, installed or not.
    root = os.path.dirname(os.path.dirname(os.path.abspath(sh.__file__)))
    code = f"import sys; sys.path.insert(0, {root!r}); sys.argv = {[__file__, '--instance', name]!r}; "
    code += "import runpy; runpy.run_path(sys.argv[0], run_name='__main__')"
    return subprocess.run([sys.executable, "-c", code], check=False, timeout=60).returncode


def main() -> int:
    if sys.platform != "win32":
        print("this example needs Windows (or Windows Python under Wine)")
        return 0
    if sys.argv[1:2] == ["--instance"]:  # the second instance: no report, just the verdict
        return instance(sys.argv[2])
    name = f"Local\\safehandles-example-single-instance-{uuid.uuid4()}"
    # safehandles' own leak check: anything left open is listed with where it was created.
    with sh.LeakCheck() as leaks:
        instance(name)
        # Once the first instance has closed its handle the name is free again.
        with sh.Mutex.create(name=name, access=sh.MutexAccess.SYNCHRONIZE) as again:
            print(f"after it closed: a new instance is first again: {again.created_new}")
    print("leak check:", leaks)
    return 0 if leaks.clean else 1


if __name__ == "__main__":
    sys.exit(main())
