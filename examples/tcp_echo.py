"""A TCP echo server and its client, with timeouts and select, on safehandles' Socket.

The server runs in a thread: one ``select`` over the listening socket and every
connection it accepted, echoing what each one sends. The client connects with a
timeout, checks the echo, and shows that a ``recv`` with nothing to read ends in
``TimeoutError`` instead of hanging. Every socket is closed by its ``with``
block; the leak check at the end proves it.
"""

import gc
import select
import sys
import threading
import warnings

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
    # The library's leak check: every handle created from here on remembers where it was
    # created, and the snapshots list the wrappers opened and not closed in between.
    sh.start_tracking()
    before = sh.snapshot()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ResourceWarning)  # a handle dropped unclosed warns when finalized
        main()
        gc.collect()
    left_open = sh.snapshot().compare_to(before)
    sh.stop_tracking()
    forgotten = [str(w.message) for w in caught if issubclass(w.category, ResourceWarning)]
    for kind in left_open:
        print(kind)  # what is still open, with the traceback of where it was created
    for message in forgotten:
        print(message)  # what was dropped without closing (its finalizer closed it)
    print("leak check:", "nothing left open" if not left_open and not forgotten else "LEAKS")
    sys.exit(1 if left_open or forgotten else 0)
