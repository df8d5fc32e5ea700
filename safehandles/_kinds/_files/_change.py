"""Change notifications: FindFirstChangeNotificationW (``INVALID_HANDLE_VALUE`` on failure),
closed by FindCloseChangeNotification.

A change notification is a waitable handle that becomes signalled when
something in the watched directory changes in a way the filter selects. It
says *that* something changed, not what: look at the directory again, then
re-arm the handle with :meth:`ChangeNotification.rearm`
(``FindNextChangeNotification``) before waiting once more. Changes that
happen between the signal and the re-arm are not lost: the next wait sees them.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import ClassVar

from typing_extensions import Self

from ..._bindings._constants import INVALID_HANDLE_VALUE
from ..._bindings._errors import check_bool
from ..._bindings._kernel32._files import ChangeFilter, FileAccess
from ..._bindings._native import kernel32
from ..._win32._arguments import file_path, flag_bits
from ..._win32._catalogue import Entry
from ..._win32._handles import WaitableHandle

__all__ = ["ChangeNotification"]


class ChangeNotification(WaitableHandle):
    """Waits for changes in a directory (and, optionally, its subdirectories).

    >>> with ChangeNotification.watch(folder, ChangeFilter.FILE_NAME) as changes:
    ...     while changes.wait(timeout=10):
    ...         rescan(folder)
    ...         changes.rearm()
    """

    catalogue: ClassVar[Entry] = Entry(
        row="Change notification",
        creators=(("FindFirstChangeNotificationW", "INVALID_HANDLE_VALUE"),),
        destroyer="`FindCloseChangeNotification`",
        ownership="owned",
    )
    _object_type = "File"
    _rights = FileAccess  # a handle to the watched directory

    __slots__ = ()
    _destroyer_name: ClassVar[str] = "FindCloseChangeNotification"

    @staticmethod
    def _destroy(
        value: int,
        /,
        _find_close_change_notification: Callable[[int], int] = kernel32.FindCloseChangeNotification,
    ) -> int:
        return _find_close_change_notification(value)

    @classmethod
    def watch(
        cls,
        directory: str | os.PathLike[str],
        changes: int = ChangeFilter.FILE_NAME | ChangeFilter.DIR_NAME | ChangeFilter.LAST_WRITE,
        *,
        subtree: bool = False,
    ) -> Self:
        """Watch *directory* for the *changes* (:class:`ChangeFilter` flags); its subtree too if asked.

        A missing directory raises ``FileNotFoundError``.
        """
        checked = file_path(directory, "directory")
        allowed = sum(flag.value for flag in ChangeFilter)
        wanted = flag_bits(changes, allowed, "changes", flags="ChangeFilter", nonzero=True)
        return cls._adopt(
            "FindFirstChangeNotificationW",
            lambda: kernel32.FindFirstChangeNotificationW(checked, bool(subtree), wanted),
            fails_with=INVALID_HANDLE_VALUE,
            filename=checked,
        )[0]

    def rearm(self) -> None:
        """Ask for the next change (``FindNextChangeNotification``) after a wait saw one."""
        check_bool(self._call(kernel32.FindNextChangeNotification), "FindNextChangeNotification")
