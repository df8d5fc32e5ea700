"""Job objects: CreateJobObjectW / OpenJobObjectW, closed by CloseHandle.

A job groups processes so they can be limited, accounted for and ended
together. The limit most programs want is "kill on job close": when the last
handle to the job is closed (including by the OS when this process dies),
every process still in the job is terminated. That is the only reliable way
on Windows to make sure children do not outlive their parent, which makes the
job handle's lifetime matter: this wrapper closing it is what ends them.

A process can be put into a job but never taken out of one; children it
creates afterwards join the job too (unless the job allows breakaway).

A job reports what happens to it (a process joined, exited, hit a limit) as
packets on an :class:`IoCompletionPort` it was associated with: the packet's
byte count is the :class:`JobMessage` and its ``OVERLAPPED`` address the
process id. :meth:`JobNotification.from_status` reads one such packet.
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass
from typing import Any, ClassVar, Final, NamedTuple, NoReturn

from typing_extensions import Self

from ..._bindings._constants import DWORD_MAX, QWORD_MAX, ProcessAccess, WinError
from ..._bindings._errors import last_error, winerror_exception
from ..._bindings._kernel32._jobs import (
    JobAccess,
    JobCpuRateControl,
    JobInformationClass,
    JobLimit,
    JobMessage,
    JobUiLimit,
)
from ..._bindings._native import ffi, kernel32
from ..._win32._arguments import flag_bits, integer
from ..._win32._buffers import Grow, grow_until_it_fits
from ..._win32._catalogue import Entry
from ..._win32._handles import security_attributes
from ..._win32._named import NamedWaitableHandle
from .._files._completion_port import CompletionStatus, IoCompletionPort
from ._process import Process

__all__ = ["Job", "JobAccounting", "JobLimits", "JobNotification"]

_TICKS_PER_SECOND = 10_000_000  # job times are in 100-nanosecond ticks
#: JOBOBJECT_CPU_RATE_CONTROL_INFORMATION.CpuRate is the percentage times 100 (1 to 10,000).
_CPU_RATE_SCALE: Final = 100
#: The limit flags :class:`JobLimits` sets and reads; ``set_limits`` keeps every other flag as it was.
_MANAGED: Final = (
    JobLimit.ACTIVE_PROCESS
    | JobLimit.PROCESS_MEMORY
    | JobLimit.JOB_MEMORY
    | JobLimit.BREAKAWAY_OK
    | JobLimit.SILENT_BREAKAWAY_OK
    | JobLimit.KILL_ON_JOB_CLOSE
    | JobLimit.DIE_ON_UNHANDLED_EXCEPTION
)
#: The messages whose packet carries a process id as its OVERLAPPED address
#: (the JOBOBJECT_ASSOCIATE_COMPLETION_PORT page's table).
_ABOUT_A_PROCESS: Final = frozenset(
    {
        JobMessage.END_OF_PROCESS_TIME,
        JobMessage.NEW_PROCESS,
        JobMessage.EXIT_PROCESS,
        JobMessage.ABNORMAL_EXIT_PROCESS,
        JobMessage.PROCESS_MEMORY_LIMIT,
        JobMessage.JOB_MEMORY_LIMIT,
        JobMessage.NOTIFICATION_LIMIT,
    }
)


def _named(macro_prefix: str, *rights: enum.IntFlag) -> str:
    """Rights as code and the SDK spell them, in the order given (the API page's):
    ``ProcessAccess.SET_QUOTA | ProcessAccess.TERMINATE (PROCESS_SET_QUOTA|PROCESS_TERMINATE)``."""
    code = " | ".join(f"{type(right).__name__}.{right.name}" for right in rights)
    sdk = "|".join(f"{macro_prefix}{right.name}" for right in rights)
    return f"{code} ({sdk})"


def _fail(function: str, needs: str, error: int | None = None) -> NoReturn:
    """Raise *function*'s error; an access-denied one says which rights the call needed."""
    exc = winerror_exception(function, error)
    if getattr(exc, "winerror", None) == WinError.ACCESS_DENIED:
        exc.strerror = f"{exc.strerror} (needs {needs})"
    raise exc


_JOB: Final = "JOB_OBJECT_"
_PROCESS: Final = "PROCESS_"
_NEEDS_QUERY: Final = f"{_named(_JOB, JobAccess.QUERY)} on the job"
_NEEDS_SET: Final = f"{_named(_JOB, JobAccess.SET_ATTRIBUTES)} on the job"
_NEEDS_TERMINATE: Final = f"{_named(_JOB, JobAccess.TERMINATE)} on the job"
_NEEDS_ASSIGN: Final = (
    f"{_named(_JOB, JobAccess.ASSIGN_PROCESS)} on the job and "
    f"{_named(_PROCESS, ProcessAccess.SET_QUOTA, ProcessAccess.TERMINATE)} on the process"
)
_NEEDS_CONTAINS: Final = (
    f"{_named(_JOB, JobAccess.QUERY)} on the job and "
    f"{_named(_PROCESS, ProcessAccess.QUERY_LIMITED_INFORMATION)} on the process"
)


def _limit(value: int | None, what: str, maximum: int) -> int | None:
    # 0 is a limit too (what Windows may report back): no process, no memory; None is none.
    return None if value is None else integer(value, what, minimum=0, maximum=maximum)


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


@dataclass(frozen=True)
class JobLimits:
    """The limits of a job (``JOBOBJECT_EXTENDED_LIMIT_INFORMATION``); None is "no limit".

    >>> job.set_limits(JobLimits(active_processes=4, job_memory=256 << 20, kill_on_close=True))
    """

    #: The most processes the job may hold at once; assigning one more fails
    #: (``ERROR_NOT_ENOUGH_QUOTA``), and the job posts ``ACTIVE_PROCESS_LIMIT``.
    active_processes: int | None = None
    #: The most memory, in bytes, each process may commit.
    process_memory: int | None = None
    #: The most memory, in bytes, all the job's processes together may commit.
    job_memory: int | None = None
    #: Children created with ``CREATE_BREAKAWAY_FROM_JOB`` may start outside the job.
    breakaway_ok: bool = False
    #: Every child starts outside the job (as if created with ``CREATE_BREAKAWAY_FROM_JOB``).
    silent_breakaway_ok: bool = False
    #: End every process in the job when its last handle closes.
    kill_on_close: bool = False
    #: A process that raises an unhandled exception dies at once, without the error dialog.
    die_on_unhandled_exception: bool = False

    def __post_init__(self) -> None:
        _limit(self.active_processes, "active_processes", DWORD_MAX)
        _limit(self.process_memory, "process_memory", QWORD_MAX)
        _limit(self.job_memory, "job_memory", QWORD_MAX)

    @property
    def flags(self) -> JobLimit:
        """The ``LimitFlags`` these limits set."""
        flags = JobLimit(0)
        for on, flag in (
            (self.active_processes is not None, JobLimit.ACTIVE_PROCESS),
            (self.process_memory is not None, JobLimit.PROCESS_MEMORY),
            (self.job_memory is not None, JobLimit.JOB_MEMORY),
            (self.breakaway_ok, JobLimit.BREAKAWAY_OK),
            (self.silent_breakaway_ok, JobLimit.SILENT_BREAKAWAY_OK),
            (self.kill_on_close, JobLimit.KILL_ON_JOB_CLOSE),
            (self.die_on_unhandled_exception, JobLimit.DIE_ON_UNHANDLED_EXCEPTION),
        ):
            if on:
                flags |= flag
        return flags

    @classmethod
    def _from(cls, info: Any) -> JobLimits:
        flags = JobLimit(int(info.BasicLimitInformation.LimitFlags))
        return cls(
            active_processes=(
                int(info.BasicLimitInformation.ActiveProcessLimit)
                if flags & JobLimit.ACTIVE_PROCESS
                else None
            ),
            process_memory=int(info.ProcessMemoryLimit) if flags & JobLimit.PROCESS_MEMORY else None,
            job_memory=int(info.JobMemoryLimit) if flags & JobLimit.JOB_MEMORY else None,
            breakaway_ok=bool(flags & JobLimit.BREAKAWAY_OK),
            silent_breakaway_ok=bool(flags & JobLimit.SILENT_BREAKAWAY_OK),
            kill_on_close=bool(flags & JobLimit.KILL_ON_JOB_CLOSE),
            die_on_unhandled_exception=bool(flags & JobLimit.DIE_ON_UNHANDLED_EXCEPTION),
        )


class JobNotification(NamedTuple):
    """One message a job posted to its completion port (see :meth:`Job.set_completion_port`)."""

    #: What happened: ``NEW_PROCESS``, ``EXIT_PROCESS``, ``ACTIVE_PROCESS_ZERO``, a limit...
    message: JobMessage
    #: The key the job was associated with, to tell several jobs on one port apart.
    key: int
    #: The process the message is about, for the messages about one process; else None.
    pid: int | None

    @classmethod
    def from_status(cls, status: CompletionStatus) -> JobNotification:
        """Read a packet dequeued with :meth:`IoCompletionPort.get` as a job's message.

        A packet whose byte count is no ``JOB_OBJECT_MSG_*`` code (one posted
        by hand, or an I/O completion) is a ``ValueError``; tell packets apart
        by their key first when a port serves more than jobs.
        """
        if not isinstance(status, CompletionStatus):
            raise TypeError(f"status must be a CompletionStatus, not {type(status).__name__}")
        try:
            message = JobMessage(status.bytes_transferred)
        except ValueError:
            raise ValueError(
                f"the packet's byte count {status.bytes_transferred} is no JOB_OBJECT_MSG_* message "
                f"(key {status.key}): it was not posted by a job"
            ) from None
        pid = status.overlapped if message in _ABOUT_A_PROCESS else None
        return cls(message, status.key, pid)


class Job(NamedWaitableHandle):
    """A job object: a group of processes limited, accounted for and ended together.

    >>> with Job.create() as job:
    ...     job.set_limits(JobLimits(active_processes=4, kill_on_close=True))
    ...     job.assign(child_process)  # ends when the job is closed
    ...     print(job.process_ids())
    """

    catalogue: ClassVar[Entry] = Entry(
        row="Job",
        creators=(("CreateJobObjectW", "NULL"), ("OpenJobObjectW", "NULL")),
        destroyer="`CloseHandle`",
        ownership="owned",
        wine=(
            "tested, but Wine reads limits back as zeros, enforces neither the active-process nor the "
            "per-process memory limit, and has no UI restrictions or CPU rate control"
        ),
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

    # -- the job's processes ---------------------------------------------------------

    def assign(self, process: Process) -> None:
        """Put *process* into this job (``AssignProcessToJobObject``); it can never leave it.

        The job handle needs ``JobAccess.ASSIGN_PROCESS`` and the process
        handle ``ProcessAccess.SET_QUOTA`` and ``TERMINATE``; an access-denied
        error names them. Past the job's ``active_processes`` limit the call
        fails with ``ERROR_NOT_ENOUGH_QUOTA`` (1816) and Windows ends the process.
        """
        if not isinstance(process, Process):
            raise TypeError(f"assign() takes a Process, not {type(process).__name__}")
        with process.borrow() as value:
            ok = self._call(kernel32.AssignProcessToJobObject, value)
        if not ok:
            _fail("AssignProcessToJobObject", _NEEDS_ASSIGN)

    def contains(self, process: Process) -> bool:
        """Whether *process* is in this job (``IsProcessInJob``)."""
        if not isinstance(process, Process):
            raise TypeError(f"contains() takes a Process, not {type(process).__name__}")
        result = ffi.new("BOOL *")
        with process.borrow() as value:
            ok = self._call(lambda job: kernel32.IsProcessInJob(value, job, result))
        if not ok:
            _fail("IsProcessInJob", _NEEDS_CONTAINS)
        return bool(result[0])

    def process_ids(self) -> list[int]:
        """The ids of the processes in the job now (``JobObjectBasicProcessIdList``).

        A snapshot: a process may exit, or join, right after. Needs ``JobAccess.QUERY``.
        """
        header = ffi.sizeof("JOBOBJECT_BASIC_PROCESS_ID_LIST") - ffi.sizeof("ULONG_PTR")

        def attempt(room: int) -> list[int] | Grow:
            buffer = ffi.new("char[]", header + room * ffi.sizeof("ULONG_PTR"))
            listing: Any = ffi.cast("JOBOBJECT_BASIC_PROCESS_ID_LIST *", buffer)
            ok = self._call(
                kernel32.QueryInformationJobObject,
                JobInformationClass.BASIC_PROCESS_ID_LIST,
                buffer,
                len(buffer),
                ffi.NULL,
            )
            error = 0 if ok else last_error()
            if not ok and error != WinError.MORE_DATA:
                _fail("QueryInformationJobObject(JobObjectBasicProcessIdList)", _NEEDS_QUERY, error)
            assigned = int(listing.NumberOfAssignedProcesses)
            listed = int(listing.NumberOfProcessIdsInList)
            if not ok or listed < assigned:  # more processes than room: the count says how many
                return Grow(assigned + 8)
            ids = ffi.cast("ULONG_PTR *", buffer + header)
            return [int(ids[i]) for i in range(listed)]

        return grow_until_it_fits("QueryInformationJobObject", attempt, 64)

    def terminate(self, exit_code: int = 1) -> None:
        """End every process in the job with *exit_code* (``TerminateJobObject``).

        Needs ``JobAccess.TERMINATE``.
        """
        code = integer(exit_code, "exit_code", minimum=0, maximum=DWORD_MAX)
        if not self._call(kernel32.TerminateJobObject, code):
            _fail("TerminateJobObject", _NEEDS_TERMINATE)

    # -- limits ------------------------------------------------------------------------

    def _query(self, information: JobInformationClass, struct: str, what: str) -> Any:
        info: Any = ffi.new(f"{struct} *")
        ok = self._call(kernel32.QueryInformationJobObject, information, info, ffi.sizeof(struct), ffi.NULL)
        if not ok:
            _fail(f"QueryInformationJobObject({what})", _NEEDS_QUERY)
        return info

    def _set(self, information: JobInformationClass, info: Any, struct: str, what: str) -> None:
        ok = self._call(kernel32.SetInformationJobObject, information, info, ffi.sizeof(struct))
        if not ok:
            _fail(f"SetInformationJobObject({what})", _NEEDS_SET)

    def _extended(self) -> Any:
        return self._query(
            JobInformationClass.EXTENDED_LIMIT,
            "JOBOBJECT_EXTENDED_LIMIT_INFORMATION",
            "JobObjectExtendedLimitInformation",
        )

    def _set_extended(self, info: Any) -> None:
        self._set(
            JobInformationClass.EXTENDED_LIMIT,
            info,
            "JOBOBJECT_EXTENDED_LIMIT_INFORMATION",
            "JobObjectExtendedLimitInformation",
        )

    def kill_on_close(self) -> None:
        """End every process in the job when the job's last handle closes.

        Sets ``JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE``, keeping the job's other limits.
        Needs ``JobAccess.QUERY`` and ``SET_ATTRIBUTES``.
        """
        info = self._extended()
        info.BasicLimitInformation.LimitFlags |= JobLimit.KILL_ON_JOB_CLOSE
        self._set_extended(info)

    @property
    def limits(self) -> JobLimits:
        """The job's limits as Windows reports them (``JobObjectExtendedLimitInformation``).

        Needs ``JobAccess.QUERY``. Flags :class:`JobLimits` has no field for
        (working set, times, affinity, priority) are in :attr:`limit_flags`.
        """
        return JobLimits._from(self._extended())

    @property
    def limit_flags(self) -> JobLimit:
        """Every limit flag the job has (``JOBOBJECT_BASIC_LIMIT_INFORMATION.LimitFlags``)."""
        return JobLimit(int(self._extended().BasicLimitInformation.LimitFlags))

    def set_limits(self, limits: JobLimits) -> None:
        """Give the job these limits (``JobObjectExtendedLimitInformation``).

        Every limit :class:`JobLimits` has is set as *limits* says (None: no
        limit, False: off); the flags it has no field for keep their values.
        Needs ``JobAccess.QUERY`` and ``SET_ATTRIBUTES``. A limit Windows
        refuses (a memory limit below what the processes already use) raises
        ``OSError``.
        """
        if not isinstance(limits, JobLimits):
            raise TypeError(f"limits must be a JobLimits, not {type(limits).__name__}")
        info = self._extended()
        basic = info.BasicLimitInformation
        basic.LimitFlags = (int(basic.LimitFlags) & ~_MANAGED) | limits.flags
        basic.ActiveProcessLimit = limits.active_processes or 0
        info.ProcessMemoryLimit = limits.process_memory or 0
        info.JobMemoryLimit = limits.job_memory or 0
        self._set_extended(info)

    @property
    def ui_restrictions(self) -> JobUiLimit:
        """What the job's processes may not do with the user interface (``JobObjectBasicUIRestrictions``)."""
        info = self._query(
            JobInformationClass.BASIC_UI_RESTRICTIONS,
            "JOBOBJECT_BASIC_UI_RESTRICTIONS",
            "JobObjectBasicUIRestrictions",
        )
        return JobUiLimit(int(info.UIRestrictionsClass))

    def set_ui_restrictions(self, restrictions: JobUiLimit) -> None:
        """Forbid the job's processes these uses of the user interface (:class:`JobUiLimit`; 0: none).

        Needs ``JobAccess.SET_ATTRIBUTES``.
        """
        mask = flag_bits(restrictions, sum(JobUiLimit), "restrictions", flags="JobUiLimit")
        info: Any = ffi.new("JOBOBJECT_BASIC_UI_RESTRICTIONS *", {"UIRestrictionsClass": mask})
        self._set(
            JobInformationClass.BASIC_UI_RESTRICTIONS,
            info,
            "JOBOBJECT_BASIC_UI_RESTRICTIONS",
            "JobObjectBasicUIRestrictions",
        )

    @property
    def cpu_rate(self) -> float | None:
        """The job's hard cap on CPU use, in percent of all processors; None without one.

        Reads ``JobObjectCpuRateControlInformation``; a weight-based or
        minimum/maximum rate is no hard cap and reads as None. Needs ``JobAccess.QUERY``.
        """
        info = self._query(
            JobInformationClass.CPU_RATE_CONTROL,
            "JOBOBJECT_CPU_RATE_CONTROL_INFORMATION",
            "JobObjectCpuRateControlInformation",
        )
        flags = JobCpuRateControl(int(info.ControlFlags))
        capped = JobCpuRateControl.ENABLE | JobCpuRateControl.HARD_CAP
        if flags & capped != capped or flags & (
            JobCpuRateControl.WEIGHT_BASED | JobCpuRateControl.MIN_MAX_RATE
        ):
            return None
        return int(info.CpuRate) / _CPU_RATE_SCALE

    def set_cpu_rate(self, percent: float | None) -> None:
        """Cap the job's CPU use at *percent* of all processors (0.01 to 100); None removes the cap.

        A hard cap (``JOB_OBJECT_CPU_RATE_CONTROL_HARD_CAP``): once the job
        has used its share of a scheduling interval, its threads wait for the
        next one. Needs ``JobAccess.SET_ATTRIBUTES``.
        """
        if percent is None:
            flags, rate = 0, 0
        else:
            if isinstance(percent, bool) or not isinstance(percent, (int, float)):
                raise TypeError(f"percent must be a number or None, not {type(percent).__name__}")
            rate = round(percent * _CPU_RATE_SCALE) if math.isfinite(percent) else 0
            if not 1 <= rate <= 100 * _CPU_RATE_SCALE:
                raise ValueError(f"percent must be between 0.01 and 100, not {percent}")
            flags = JobCpuRateControl.ENABLE | JobCpuRateControl.HARD_CAP
        info: Any = ffi.new(
            "JOBOBJECT_CPU_RATE_CONTROL_INFORMATION *", {"ControlFlags": flags, "CpuRate": rate}
        )
        self._set(
            JobInformationClass.CPU_RATE_CONTROL,
            info,
            "JOBOBJECT_CPU_RATE_CONTROL_INFORMATION",
            "JobObjectCpuRateControlInformation",
        )

    # -- notifications -------------------------------------------------------------------

    def set_completion_port(self, port: IoCompletionPort, *, key: int = 0) -> None:
        """Have the job post its messages to *port*, under *key*.

        (``JobObjectAssociateCompletionPortInformation``.)
        Each message arrives as a packet that :meth:`JobNotification.from_status`
        reads: a process joined or exited (abnormally), the job has no process
        left, a limit was hit. Windows posts them best-effort: a full port
        loses them. A job keeps the port it was first given (a second
        association fails with ``ERROR_INVALID_PARAMETER``); the port is held
        for the call only, so keep it open as long as messages should arrive.
        Needs ``JobAccess.SET_ATTRIBUTES``.
        """
        if not isinstance(port, IoCompletionPort):
            raise TypeError(f"port must be an IoCompletionPort, not {type(port).__name__}")
        checked = integer(key, "key", minimum=0, maximum=QWORD_MAX)
        info: Any = ffi.new("JOBOBJECT_ASSOCIATE_COMPLETION_PORT *")
        info.CompletionKey = checked
        with port.borrow() as value:
            info.CompletionPort = value
            self._set(
                JobInformationClass.ASSOCIATE_COMPLETION_PORT,
                info,
                "JOBOBJECT_ASSOCIATE_COMPLETION_PORT",
                "JobObjectAssociateCompletionPortInformation",
            )

    def accounting(self) -> JobAccounting:
        """Process counts and CPU times of the job (``JobObjectBasicAccountingInformation``)."""
        info = self._query(
            JobInformationClass.BASIC_ACCOUNTING,
            "JOBOBJECT_BASIC_ACCOUNTING_INFORMATION",
            "JobObjectBasicAccountingInformation",
        )
        return JobAccounting(
            user_time=info.TotalUserTime / _TICKS_PER_SECOND,
            kernel_time=info.TotalKernelTime / _TICKS_PER_SECOND,
            page_faults=int(info.TotalPageFaultCount),
            total_processes=int(info.TotalProcesses),
            active_processes=int(info.ActiveProcesses),
            terminated_processes=int(info.TotalTerminatedProcesses),
        )
