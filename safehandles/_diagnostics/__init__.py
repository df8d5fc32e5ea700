"""Diagnostics: handle counts, a census by type, and tracking of live wrappers."""
