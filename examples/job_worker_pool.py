"""A pool of worker processes held in one Job: limited, watched through a completion port, ended together.

The job caps how many workers run at once and how much memory they may commit,
and kills every worker still running when its handle closes (so no worker
outlives this script, even if it crashes). The job posts what happens to it on
an ``IoCompletionPort``: a worker joined, a worker exited, the job is empty, a
limit was hit. ``JobNotification.from_status`` reads those packets. It ends
with safehandles' own leak check and exits 1 if anything it opened is still open.
"""

import subprocess
import sys

import safehandles as sh

WORKERS = 3
# Each worker waits for a line on stdin (so that it is in the job before it does anything:
# the processes it starts then join the job too), works, and exits with its result.
WORKER = "import sys; n = int(sys.argv[1]); sys.stdin.readline(); sys.exit(sum(range(n * 100_000)) % 97)"


def run_pool() -> None:
    limits = sh.JobLimits(active_processes=WORKERS, job_memory=512 << 20, kill_on_close=True)
    with sh.Job.create() as job, sh.IoCompletionPort.create() as port:
        job.set_limits(limits)  # a fourth worker at once would be refused (and Windows ends it)
        job.set_completion_port(port, key=1)
        print(f"job limits: {limits.flags}")  # by name: ACTIVE_PROCESS|JOB_MEMORY|KILL_ON_JOB_CLOSE

        workers = [
            subprocess.Popen([sys.executable, "-c", WORKER, str(n)], stdin=subprocess.PIPE, text=True)
            for n in range(1, WORKERS + 1)
        ]
        exit_codes: dict[int, int] = {}
        for popen in workers:
            # Borrowed from the Popen, which keeps owning its handle; the job needs
            # PROCESS_SET_QUOTA and PROCESS_TERMINATE on it, which Popen's handle has.
            with sh.Process.from_popen(popen) as process:
                job.assign(process)
        print(f"processes in the job: {len(job.process_ids())}")
        for popen in workers:
            assert popen.stdin is not None
            popen.stdin.write("go\n")  # start working
            popen.stdin.close()

        # The job's messages: NEW_PROCESS and EXIT_PROCESS for each worker, then
        # ACTIVE_PROCESS_ZERO once none is left (and a *_LIMIT message if one was hit).
        while (packet := port.get(timeout=60)) is not None:
            note = sh.JobNotification.from_status(packet)
            if note.message is sh.JobMessage.NEW_PROCESS:
                print(f"worker joined: {note.pid}")
            elif note.message is sh.JobMessage.EXIT_PROCESS and note.pid is not None:
                exit_codes[note.pid] = next(w.wait() for w in workers if w.pid == note.pid)
            elif note.message is sh.JobMessage.ACTIVE_PROCESS_ZERO:
                break
            else:
                print(f"job message: {note.message} (process {note.pid})")  # a limit was hit
        for popen in workers:
            popen.wait()
        print(f"workers exited: {len(exit_codes)} of {WORKERS}, results {sorted(exit_codes.values())}")
        counts = job.accounting()
        print(f"job accounting: {counts.total_processes} processes, {counts.active_processes} still running")


def main() -> int:
    if sys.platform != "win32":
        print("this example needs Windows (or Windows Python under Wine)")
        return 0
    # safehandles' own leak check: anything left open is listed with where it was created.
    with sh.LeakCheck() as leaks:
        run_pool()
    print("leak check:", leaks)
    return 0 if leaks.clean else 1


if __name__ == "__main__":
    sys.exit(main())
