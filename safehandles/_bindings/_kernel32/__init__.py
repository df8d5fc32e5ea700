"""kernel32.dll: declarations and typed surface, one module per API area.

Each area module holds its C declarations (``DECLARATIONS``) beside the
``Protocol`` that types them; ``Kernel32`` is all of them at once.
"""

from __future__ import annotations

from typing import Protocol

from ._comm import DECLARATIONS as COMM_DECLARATIONS
from ._comm import Comm
from ._console import DECLARATIONS as CONSOLE_DECLARATIONS
from ._console import Console
from ._files import DECLARATIONS as FILES_DECLARATIONS
from ._files import Files
from ._handles import DECLARATIONS as HANDLES_DECLARATIONS
from ._handles import Handles
from ._heaps import DECLARATIONS as HEAPS_DECLARATIONS
from ._heaps import Heaps
from ._io import DECLARATIONS as IO_DECLARATIONS
from ._io import CompletionPorts
from ._jobs import DECLARATIONS as JOBS_DECLARATIONS
from ._jobs import Jobs
from ._mapping import DECLARATIONS as MAPPING_DECLARATIONS
from ._mapping import Mapping
from ._memory_notifications import DECLARATIONS as MEMORY_NOTIFICATIONS_DECLARATIONS
from ._memory_notifications import MemoryNotifications
from ._modules import DECLARATIONS as MODULES_DECLARATIONS
from ._modules import Modules
from ._pipes import DECLARATIONS as PIPES_DECLARATIONS
from ._pipes import Pipes
from ._processes import DECLARATIONS as PROCESSES_DECLARATIONS
from ._processes import Processes
from ._sync import DECLARATIONS as SYNC_DECLARATIONS
from ._sync import Sync

DECLARATIONS = "".join(
    (
        HANDLES_DECLARATIONS,
        SYNC_DECLARATIONS,
        PROCESSES_DECLARATIONS,
        HEAPS_DECLARATIONS,
        FILES_DECLARATIONS,
        MAPPING_DECLARATIONS,
        PIPES_DECLARATIONS,
        IO_DECLARATIONS,
        CONSOLE_DECLARATIONS,
        COMM_DECLARATIONS,
        JOBS_DECLARATIONS,
        MODULES_DECLARATIONS,
        MEMORY_NOTIFICATIONS_DECLARATIONS,
    )
)


class Kernel32(
    Handles,
    Sync,
    Processes,
    Heaps,
    Files,
    Mapping,
    Pipes,
    CompletionPorts,
    Console,
    Comm,
    Jobs,
    Modules,
    MemoryNotifications,
    Protocol,
):
    """Every kernel32 function the package calls."""
