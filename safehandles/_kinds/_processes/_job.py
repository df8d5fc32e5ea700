"""Job objects: CreateJobObjectW / OpenJobObjectW, closed by CloseHandle.

A job groups processes so they can be limited, accounted for and ended
together. The limit most programs want is "kill on job close": when the last
handle to the job is closed (including by the OS when this process dies),
every process still in the job is terminated. That is the only reliable way
on Windows to make sure children do not outlive their parent, which makes the
job handle's lifetime matter: this wrapper closing it is what ends them.

A process can be put into a job but never taken out of one; children it
creates afterwards join the job too (unless the job allows breakaway).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from typing_extensions import Self

from ..._bindings._constants import DWORD_MAX
from ..._bindings._errors import check_bool
from ..._bindings._kernel32._jobs import JobAccess, JobInformationClass, JobLimit
from ..._bindings._native import ffi, kernel32
from ..._win32._arguments import integer
from ..._win32._catalogue import Entry
from ..._win32._handles import security_attributes
from ..._win32._named import NamedWaitableHandle
from ._process import Process

__all__ = ["Job", "JobAccounting"]

_TICKS_PER_SECOND = 10_000_000  # job times are in 100-nanosecond ticks


@dataclass(frozen=True)
class JobAccounting:
    """What ``JobObjectBasicAccountingInformation`` reports about a job."""

    #: CPU time spent in user mode by every process that has been in the job, in seconds.
    user_time: float
    #: CPU time spent in kernel mode, in seconds.
    kernel_time: float
    #: Page faults of every process that has been in the job.
    page_faults: int
    #: Processes ever associated with the job.
    total_processes: int
    #: Processes in the job now.
    active_processes: int
    #: Processes ended because a job limit was exceeded.
    terminated_processes: int


class Job(NamedWaitableHandle):
    """A job object: a group of processes limited, accounted for and ended together.

    >>> with Job.create() as job:
    ...     job.kill_on_close()
    ...     job.assign(child_process)  # ends when the job is closed
    """

    catalogue = Entry(
        row="Job",
        creators=(("CreateJobObjectW", "NULL"), ("OpenJobObjectW", "NULL")),
        destroyer="`CloseHandle`",
        ownership="owned",
        wine="tested, but Wine's `QueryInformationJobObject` reports zeroed limits",
    )
    _object_type = "Job"
    _rights = JobAccess

    __slots__ = ()

    @classmethod
    def create(cls, *, name: str | None = None, inheritable: bool = False) -> Self:
        """Create a job, or open the existing one of that name (then ``created_new`` is False)."""
        return cls._create(
            "CreateJobObjectW",
            name,
            lambda checked: kernel32.CreateJobObjectW(security_attributes(inheritable), checked),
        )

    @classmethod
    def open(
        cls,
        name: str,
        *,
        access: int = JobAccess.ASSIGN_PROCESS | JobAccess.QUERY | JobAccess.TERMINATE,
        inheritable: bool = False,
    ) -> Self:
        """Open an existing named job; by default with the rights assign, accounting and terminate use."""
        return cls._open(kernel32.OpenJobObjectW, "OpenJobObjectW", name, access, inheritable)

    def assign(self, process: Process) -> None:
        """Put *process* into this job (``AssignProcessToJobObject``); it can never leave it.

        The process handle needs ``ProcessAccess.SET_QUOTA`` and ``TERMINATE``.
        """
        if not isinstance(process, Process):
            raise TypeError(f"assign() takes a Process, not {type(process).__name__}")
        with process.borrow() as value:
            ok = self._call(kernel32.AssignProcessToJobObject, value)
        check_bool(ok, "AssignProcessToJobObject")

    def contains(self, process: Process) -> bool:
        """Whether *process* is in this job (``IsProcessInJob``)."""
        if not isinstance(process, Process):
            raise TypeError(f"contains() takes a Process, not {type(process).__name__}")
        result = ffi.new("BOOL *")
        with process.borrow() as value:
            ok = self._call(lambda job: kernel32.IsProcessInJob(value, job, result))
        check_bool(ok, "IsProcessInJob")
        return bool(result[0])

    def kill_on_close(self) -> None:
        """End every process in the job when the job's last handle closes.

        Sets ``JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE``, keeping the job's other limits.
        """
        info: Any = ffi.new("JOBOBJECT_EXTENDED_LIMIT_INFORMATION *")
        size = ffi.sizeof("JOBOBJECT_EXTENDED_LIMIT_INFORMATION")
        got = self._call(
            kernel32.QueryInformationJobObject, JobInformationClass.EXTENDED_LIMIT, info, size, ffi.NULL
        )
        check_bool(got, "QueryInformationJobObject")
        info.BasicLimitInformation.LimitFlags |= JobLimit.KILL_ON_JOB_CLOSE
        ok = self._call(kernel32.SetInformationJobObject, JobInformationClass.EXTENDED_LIMIT, info, size)
        check_bool(ok, "SetInformationJobObject")

    @property
    def limits(self) -> JobLimit:
        """The job's limit flags (``JOBOBJECT_BASIC_LIMIT_INFORMATION.LimitFlags``)."""
        info: Any = ffi.new("JOBOBJECT_EXTENDED_LIMIT_INFORMATION *")
        size = ffi.sizeof("JOBOBJECT_EXTENDED_LIMIT_INFORMATION")
        got = self._call(
            kernel32.QueryInformationJobObject, JobInformationClass.EXTENDED_LIMIT, info, size, ffi.NULL
        )
        check_bool(got, "QueryInformationJobObject")
        return JobLimit(int(info.BasicLimitInformation.LimitFlags))

    def terminate(self, exit_code: int = 1) -> None:
        """End every process in the job with *exit_code* (``TerminateJobObject``)."""
        code = integer(exit_code, "exit_code", minimum=0, maximum=DWORD_MAX)
        check_bool(self._call(kernel32.TerminateJobObject, code), "TerminateJobObject")

    def accounting(self) -> JobAccounting:
        """Process counts and CPU times of the job (``JobObjectBasicAccountingInformation``)."""
        info: Any = ffi.new("JOBOBJECT_BASIC_ACCOUNTING_INFORMATION *")
        size = ffi.sizeof("JOBOBJECT_BASIC_ACCOUNTING_INFORMATION")
        got = self._call(
            kernel32.QueryInformationJobObject, JobInformationClass.BASIC_ACCOUNTING, info, size, ffi.NULL
        )
        check_bool(got, "QueryInformationJobObject")
        return JobAccounting(
            user_time=info.TotalUserTime / _TICKS_PER_SECOND,
            kernel_time=info.TotalKernelTime / _TICKS_PER_SECOND,
            page_faults=int(info.TotalPageFaultCount),
            total_processes=int(info.TotalProcesses),
            active_processes=int(info.ActiveProcesses),
            terminated_processes=int(info.TotalTerminatedProcesses),
        )
