"""Event objects: CreateEventW / OpenEventW, closed by CloseHandle."""

from __future__ import annotations

from typing import ClassVar, Final

from typing_extensions import Self

from ..._bindings._constants import EventAccess
from ..._bindings._errors import check_bool, raise_winerror
from ..._bindings._kernel32._sync import EventCreateFlag
from ..._bindings._native import kernel32
from ..._core._safehandle import held_call_0
from ..._win32._catalogue import Entry
from ..._win32._handles import security_attributes
from ..._win32._named import NamedWaitableHandle

__all__ = ["Event"]

_set_event: Final = kernel32.SetEvent


class Event(NamedWaitableHandle):
    """A manual- or auto-reset event.

    >>> with Event.create(manual_reset=True) as ready:
    ...     ready.set()
    ...     assert ready.wait(timeout=1.5)
    """

    catalogue: ClassVar[Entry] = Entry(
        row="Event",
        creators=(("CreateEventW", "NULL"), ("CreateEventExW", "NULL"), ("OpenEventW", "NULL")),
        destroyer="`CloseHandle`",
        ownership="owned",
    )
    _object_type = "Event"

    __slots__ = ()
    _rights = EventAccess

    @classmethod
    def create(
        cls,
        *,
        manual_reset: bool = False,
        initial_state: bool = False,
        name: str | None = None,
        inheritable: bool = False,
        access: int | None = None,
    ) -> Self:
        """Create an event, or open the existing one of that name (then ``created_new`` is False).

        The handle has every right (``EVENT_ALL_ACCESS``) unless *access* names
        the :class:`EventAccess` rights it gets (``CreateEventExW``): a handle
        for a waiter needs only ``SYNCHRONIZE``, one for a signaller
        ``MODIFY_STATE``, and a handle passed to less trusted code should carry no more.
        """
        if access is not None:
            mask = cls._access(access)
            flags = (EventCreateFlag.MANUAL_RESET if manual_reset else 0) | (
                EventCreateFlag.INITIAL_SET if initial_state else 0
            )
            return cls._create(
                "CreateEventExW",
                name,
                lambda checked: kernel32.CreateEventExW(
                    security_attributes(inheritable), checked, flags, mask
                ),
            )
        return cls._create(
            "CreateEventW",
            name,
            lambda checked: kernel32.CreateEventW(
                security_attributes(inheritable), bool(manual_reset), bool(initial_state), checked
            ),
        )

    @classmethod
    def open(
        cls,
        name: str,
        *,
        access: int = EventAccess.SYNCHRONIZE | EventAccess.MODIFY_STATE,
        inheritable: bool = False,
    ) -> Self:
        """Open an existing named event; by default with the rights ``wait``, ``set`` and ``reset`` need."""
        return cls._open(kernel32.OpenEventW, "OpenEventW", name, access, inheritable)

    def set(self) -> None:
        """Signal the event."""
        if not held_call_0(self, _set_event):  # the fixed-arity _call: this is the whole operation
            raise_winerror("SetEvent")

    def reset(self) -> None:
        """Return the event to the non-signalled state."""
        check_bool(self._call(kernel32.ResetEvent), "ResetEvent")
