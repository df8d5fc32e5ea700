"""Kinds for files and I/O: files, pipes, mailslots, mappings, completion ports, devices."""
