"""The Win32 handle framework: what every kind is built from.

``_handles``
    ``Win32Handle`` (a handle with a Win32 destroyer), ``KernelHandle`` (an
    entry in the process handle table) and ``WaitableHandle``.
``_named``
    Named synchronization objects: ``created_new`` and open-by-name.
``_stream``
    ``ReadFile``/``WriteFile`` for the byte-stream kinds.
``_arguments``
    Checks of user input, made before any native call.
``_guard``
    The guard an ``acquire()`` returns.
``_objects``
    What kind of object a handle value names (``NtQueryObject``).
``_catalogue``
    Each kind's entry in Microsoft's "Kernel Objects" table.
"""
