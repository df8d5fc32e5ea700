"""One class per kind of Windows object, grouped by domain as the README's table is.

``_sync``       events, mutexes, semaphores, waitable timers, waiting on several
``_processes``  processes, threads, jobs, modules, heaps, memory notifications, spawning
``_files``      files, find and change handles, mappings, pipes, mailslots, completion
                ports, communications devices, consoles, resource updates
``_security``   access tokens, window stations and desktops
``_system``     the registry, services and the event log
``_network``    Winsock sockets
"""
