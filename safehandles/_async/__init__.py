"""Awaiting handles and overlapped I/O: the machinery behind ``wait_async`` and ``read_async``.

Nothing here is public: the kinds' ``wait_async``, ``read_async``,
``write_async`` and ``connect_async`` and :func:`safehandles.wait_any_async`
are the surface. This package loads (with asyncio) on the first of them.

Three pieces, each with its own module:

``_port``
    One completion port of the library's own and one dispatcher thread that
    dequeues its packets. Overlapped handles are associated with it on their
    first asynchronous operation. The thread, not a loop, finishes each
    operation (its reference given back, its buffer freed), so a completion
    needs no loop to be running.
``_waits``
    Wait threads that each wait on up to 63 handles with one
    ``WaitForMultipleObjects``, for ``wait_async`` and ``wait_any_async``.
``_io``
    The overlapped operation itself: what it owns from its start to its
    completion, and how a start is read.

``_report`` is how a result gets back to the awaiting coroutine:
``call_soon_threadsafe`` on the loop that started the operation, so any
asyncio loop works (the proactor and the selector loop alike, in any
thread) and no private asyncio attribute is touched. The library's own
port rather than asyncio's proactor: the proactor is a private attribute of
one loop class, and an operation must outlive the loop that started it.

The rules every operation keeps:

- It takes a lasting reference on its handle before the native call that
  starts it and gives it back only after the kernel has reported completion,
  so a ``close()`` meanwhile cannot free, and the OS cannot recycle, the
  value the kernel is still acting on.
- Its buffer and ``OVERLAPPED`` are held by the dispatcher's table until the
  packet is dequeued, whatever happens to the coroutine.
- Cancelling the awaiting task cancels the operation (``CancelIoEx``, or the
  wait withdrawn) and the task ends as cancelled only once the kernel has
  reported. Closing the handle cancels every operation in flight on it
  (their awaits raise ``ObjectDisposedError``); the last completion releases
  the native handle.
- When nothing is in flight for half a second, the threads end.
"""
