"""Kinds for processes and the system around them: processes, threads, jobs, modules, heaps."""
