"""Kinds for synchronization: events, mutexes, semaphores, waitable timers, multiple waits."""
