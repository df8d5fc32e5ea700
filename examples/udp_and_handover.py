"""A small status collector: UDP reports drained without blocking, a TCP client handed to a worker process.

Agents send status datagrams; the collector's socket is non-blocking, so it
reads with ``recvfrom`` until ``BlockingIOError`` says there is nothing more,
and writes what it got to a log through an ordinary Python file made from a
``File``. One agent is a socket the standard library made, wrapped (borrowed)
with ``from_raw``. A TCP connection the collector accepts is given to a worker
process with ``share``/``from_share``: the worker answers on it, and each
process closes its own copy. The collector first checks, on an impersonation
copy of its token, whether it runs as an administrator.
"""

import select
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import safehandles as sh

# The worker opens the socket the collector shared with it and answers the client on it.
# The child imports the same safehandles this program does (the embeddable Python ignores PYTHONPATH).
WORKER = (
    f"import sys; sys.path[:0] = {sys.path!r}\n"
    + """
import safehandles as sh

with sh.Socket.from_share(bytes.fromhex(sys.stdin.readline())) as connection:
    request = connection.recv(100)
    connection.sendall(b"worker handled " + request)
print("worker: answered", request, flush=True)
"""
)


def check_who_we_are() -> None:
    # CheckTokenMembership takes an impersonation token: DuplicateToken makes one from the process's.
    with (
        sh.AccessToken.open_process(access=sh.TokenAccess.QUERY | sh.TokenAccess.DUPLICATE) as primary,
        primary.impersonation_token() as token,
    ):
        print("collector is an administrator:", token.is_member(sh.WellKnownSid.ADMINISTRATORS))


def collect_datagrams(log: Path) -> None:
    with (
        sh.Socket.create(type=sh.SocketKind.DGRAM) as collector,
        sh.Socket.create(type=sh.SocketKind.DGRAM) as agent,
    ):
        collector.bind(("127.0.0.1", 0))
        collector.setblocking(False)  # a read with nothing waiting raises BlockingIOError at once
        buffer = collector.getsockopt(sh.SocketOptionLevel.SOCKET, sh.SocketOption.RCVBUF)
        print("collector receive buffer holds bytes:", buffer > 0)
        address = collector.getsockname()

        agent.sendto(b"disk C: 71% full", address)
        # An agent written with the standard library: its socket wrapped, borrowed (it stays Python's).
        with (
            socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as python_agent,
            sh.Socket.from_raw(python_agent.fileno(), owns_handle=False) as wrapped,
        ):
            wrapped.sendto(b"service spooler RUNNING", address)

        # A File handed to a Python text file (transfer: the Python file now owns and closes the handle).
        file = sh.File.open(log, access="w", disposition=sh.CreationDisposition.CREATE_ALWAYS)
        with file.to_python_file("w", encoding="utf-8") as out:
            received = 0
            while received < 2:
                select.select([collector], [], [], 5)  # wait until a datagram is there (or 5 s)
                try:
                    while True:
                        data, source = collector.recvfrom(1500)
                        received += 1
                        out.write(f"{source.host}: {data.decode()}\n")
                except BlockingIOError:
                    pass  # drained: nothing more for now
        print("datagrams logged:", log.read_text(encoding="utf-8").splitlines())
        # SO_ERROR reads (and clears) an error pending on the socket: none here.
        pending = collector.getsockopt(sh.SocketOptionLevel.SOCKET, sh.SocketOption.ERROR)
        print("collector error pending:", pending)


def hand_over_a_connection() -> None:
    with sh.Socket.create() as listener, sh.Socket.create() as client:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        client.settimeout(30)
        client.connect(listener.getsockname())
        connection, _ = listener.accept()
        with connection:
            worker = subprocess.Popen(
                [sys.executable, "-c", WORKER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
            )
            with worker, sh.Process.from_popen(worker) as process:
                share = connection.share(process)  # made for that process alone
                connection.close()  # ours: the worker's copy keeps the connection open
                client.sendall(b"job 42")
                output, _ = worker.communicate(share.hex() + "\n", timeout=60)
            print(output.strip())
        print("client got:", client.recv(100))


def main() -> None:
    check_who_we_are()
    with tempfile.TemporaryDirectory() as folder:
        collect_datagrams(Path(folder) / "status.log")
    hand_over_a_connection()


if __name__ == "__main__":
    # safehandles' own leak check: what the program left open (with where it was created),
    # and what it dropped without closing (closed by finalizers, warned about with ResourceWarning).
    # Winsock opens an event of its own at the process's first connection and keeps it, so
    # this check counts what the program opened through safehandles, not every OS handle.
    with sh.LeakCheck(os_handles=False) as leaks:
        main()
    print("leak check:", leaks)
    sys.exit(0 if leaks.clean else 1)
