"""Kinds for the system's configuration and logs: registry keys, services, the event log."""
