"""Named-pipe IPC between processes: a message-mode server and child clients that wait their turn.

The pipe has a single instance, so while the server talks to one client the
other finds it busy. ``File.open_pipe(timeout=...)`` waits for the instance to
be free (``WaitNamedPipeW``) instead of failing with ``ERROR_PIPE_BUSY``. Each
client makes one request with ``transact`` (write a message and read the
reply in one call). The server learns who each client is from the kernel:
its process id, and, while it impersonates the client, the user it runs as.
"""

import os
import subprocess
import sys

import safehandles as sh

PIPE = rf"\\.\pipe\safehandles-example-{os.getpid()}"

# The child imports the same safehandles this program does (the embeddable Python ignores PYTHONPATH).
CLIENT = (
    f"import sys; sys.path[:0] = {sys.path!r}\n"
    + """
import os
import safehandles as sh

with sh.File.open_pipe(sys.argv[1], timeout=30, message_mode=True) as pipe:
    reply = pipe.transact(f"hello from {os.getpid()}".encode())
    print(f"client {os.getpid()}: the server replied {reply.decode()!r}", flush=True)
"""
)


def serve(server: sh.NamedPipeServer, clients: dict[int, subprocess.Popen[bytes]]) -> None:
    for number in range(1, len(clients) + 1):
        server.connect()  # waits for the next client
        pid = server.client_process_id()
        request = server.read().decode()
        with server.impersonate_client(), sh.AccessToken.open_thread() as token:
            user = str(token.user)  # the client's token, seen from inside its security context
        print(f"server: client {number} is one of ours: {pid in clients} (process {pid}, runs as {user})")
        print(f"server: it said {request!r}")
        server.write(f"you are client {number}".encode())
        server.read()  # b"" once the client has closed its end: the session is over
        server.disconnect()  # the instance is free for the next client


def main() -> None:
    with sh.NamedPipeServer.create(PIPE, message_mode=True, max_instances=1) as server:
        children = [
            subprocess.Popen([sys.executable, "-c", CLIENT, PIPE], stdin=subprocess.DEVNULL) for _ in range(2)
        ]
        clients = {child.pid: child for child in children}
        try:
            serve(server, clients)
        finally:
            for child in children:
                print("child exited with code", child.wait(60))


if __name__ == "__main__":
    # safehandles' own leak check: what the program left open (with where it was created),
    # and what it dropped without closing (closed by finalizers, warned about with ResourceWarning).
    with sh.LeakCheck() as leaks:
        main()
    print("leak check:", leaks)
    sys.exit(0 if leaks.clean else 1)
