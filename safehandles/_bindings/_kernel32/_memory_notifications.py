"""kernel32.dll, memory resource notifications: declarations and their typed surface."""

from __future__ import annotations

from typing import Protocol

from .._constants import NamedIntEnum
from .._types import CData

DECLARATIONS = """
/* memoryapi.h; NotificationType is a MEMORY_RESOURCE_NOTIFICATION_TYPE */
HANDLE CreateMemoryResourceNotification(int NotificationType);
BOOL QueryMemoryResourceNotification(HANDLE ResourceNotificationHandle, BOOL *ResourceState);
"""


class MemoryCondition(NamedIntEnum):
    """MEMORY_RESOURCE_NOTIFICATION_TYPE (memoryapi.h): which condition a notification watches."""

    LOW = 0
    HIGH = 1


class MemoryNotifications(Protocol):
    def CreateMemoryResourceNotification(self, NotificationType: int, /) -> int: ...
    def QueryMemoryResourceNotification(
        self, ResourceNotificationHandle: int, ResourceState: CData, /
    ) -> int: ...
