"""A TCP echo server and its client, with timeouts and select, on safehandles' Socket.

The server runs in a thread: one ``select`` over the listening socket and every
connection it accepted, echoing what each one sends. The client connects with a
timeout, checks the echo, and shows that a ``recv`` with nothing to read ends in
``TimeoutError`` instead of hanging. Every socket is closed by its ``with``
block; the leak check at the end proves it.
"""

import select
import sys
import threading

import safehandles as sh


def serve(server: sh.Socket, stop: threading.Event) -> None:
    """Echo for every client until *stop* is set; close each connection when its client does."""
    peers: list[sh.Socket] = []
    try:
        while not stop.is_set():
            # A Socket has fileno(), so select takes it. A short timeout lets the loop see *stop*.
            readable, _, _ = select.select([server, *peers], [], [], 0.1)
            for sock in readable:
                if sock is server:
                    peer, address = server.accept()  # ready: accept does not wait
                    print(f"server: connection from {address.host}:{address.port}")
                    peers.append(peer)
                    continue
                data = sock.recv(4096)
                if data:
                    sock.sendall(data)
                else:  # the client shut its side down
                    peers.remove(sock)
                    sock.close()
    finally:
        for peer in peers:
            peer.close()


def main() -> None:
    stop = threading.Event()
    with sh.Socket.create() as server:
        server.bind(("127.0.0.1", 0))  # port 0: the OS picks a free one
        server.listen()
        thread = threading.Thread(target=serve, args=(server, stop))
        thread.start()
        try:
            with sh.Socket.create() as client:
                client.settimeout(5.0)  # connect, sendall and recv each wait at most 5 s
                client.connect(server.getsockname())
                client.setsockopt(sh.SocketOptionLevel.TCP, sh.TcpOption.NODELAY, True)
                client.sendall(b"hello, echo")
                print("client: echoed", client.recv(100))

                client.settimeout(0.2)  # the server sends nothing unasked: this recv times out
                try:
                    client.recv(100)
                except TimeoutError as exc:
                    print("client: nothing more to read:", exc)
                client.shutdown(sh.ShutdownHow.SEND)  # the server sees b"" and closes its end
        finally:
            stop.set()
            thread.join()


if __name__ == "__main__":
    # safehandles' own leak check: what the program left open (with where it was created),
    # and what it dropped without closing (closed by finalizers, warned about with ResourceWarning).
    # Winsock opens an event of its own at the process's first connection and keeps it, so
    # this check counts what the program opened through safehandles, not every OS handle.
    with sh.LeakCheck(os_handles=False) as leaks:
        main()
    print("leak check:", leaks)
    sys.exit(0 if leaks.clean else 1)
