"""advapi32.dll: declarations and typed surface, one module per API area."""

from __future__ import annotations

from typing import Protocol

from ._eventlog import DECLARATIONS as EVENTLOG_DECLARATIONS
from ._eventlog import EventLog
from ._processes import DECLARATIONS as PROCESSES_DECLARATIONS
from ._processes import Processes
from ._registry import DECLARATIONS as REGISTRY_DECLARATIONS
from ._registry import Registry
from ._services import DECLARATIONS as SERVICES_DECLARATIONS
from ._services import Services
from ._tokens import DECLARATIONS as TOKENS_DECLARATIONS
from ._tokens import Tokens

DECLARATIONS = (
    REGISTRY_DECLARATIONS
    + TOKENS_DECLARATIONS
    + SERVICES_DECLARATIONS
    + EVENTLOG_DECLARATIONS
    + PROCESSES_DECLARATIONS
)


class Advapi32(Registry, Tokens, Services, EventLog, Processes, Protocol):
    """Every advapi32 function the package calls."""
