"""Winsock sockets against the real OS: WSASocketW / accept, closesocket, and Winsock's start-up count."""

from __future__ import annotations

import gc
import math
import os
import select
import selectors
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

import safehandles as sh
from safehandles._bindings._native import ffi, kernel32, ws2_32
from safehandles._kinds._network._winsock import winsock
from tests import probes
from tests.children import python_code, run_python

pytestmark = pytest.mark.windows

LOOPBACKS = [(sh.AddressFamily.INET, "127.0.0.1"), (sh.AddressFamily.INET6, "::1")]


def inherit_flag(value: int) -> bool:
    """The handle's inherit flag, read straight from the OS."""
    flags = ffi.new("DWORD *")
    assert kernel32.GetHandleInformation(value, flags)
    return bool(flags[0] & 1)


def connected(family: sh.AddressFamily = sh.AddressFamily.INET, host: str = "127.0.0.1") -> tuple[Any, ...]:
    server = sh.Socket.create(family)
    server.bind((host, 0))
    server.listen()
    client = sh.Socket.create(family)
    client.connect(server.getsockname())
    peer, address = server.accept()
    return server, client, peer, address


@pytest.fixture
def pair() -> Iterator[tuple[sh.Socket, sh.Socket]]:
    server, client, peer, _ = connected()
    server.close()
    with client, peer:
        yield client, peer


# -- layouts (Microsoft's ws2def.h / ws2ipdef.h / winsock2.h) ---------------------


def test_native_structures_have_the_windows_layouts() -> None:
    assert ffi.sizeof("SOCKADDR_IN") == 16
    assert ffi.offsetof("SOCKADDR_IN", "sin_port") == 2
    assert ffi.offsetof("SOCKADDR_IN", "sin_addr") == 4
    assert ffi.sizeof("SOCKADDR_IN6") == 28
    assert ffi.offsetof("SOCKADDR_IN6", "sin6_flowinfo") == 4
    assert ffi.offsetof("SOCKADDR_IN6", "sin6_addr") == 8
    assert ffi.offsetof("SOCKADDR_IN6", "sin6_scope_id") == 24
    assert ffi.sizeof("SOCKADDR_STORAGE") == 128
    assert ffi.alignof("SOCKADDR_STORAGE") == 8
    assert ffi.sizeof("WSAPROTOCOL_INFOW") == 628
    assert ffi.offsetof("WSAPROTOCOL_INFOW", "iAddressFamily") == 76
    assert ffi.offsetof("WSAPROTOCOL_INFOW", "szProtocol") == 116


# -- lifecycle: the OS handle exists, then is gone, through closesocket ----------


def test_socket_exists_until_closed() -> None:
    sock = sh.Socket.create()
    value = sock.dangerous_get_handle()
    assert probes.is_open(value)
    assert sock.family is sh.AddressFamily.INET
    assert sock.type is sh.SocketKind.STREAM
    sock.close()
    assert not probes.is_open(value)
    assert sock.is_closed


def test_socket_is_closed_after_an_exception_in_with() -> None:
    with pytest.raises(RuntimeError, match="boom"), sh.Socket.create() as sock:
        value = sock.dangerous_get_handle()
        assert probes.is_open(value)
        raise RuntimeError("boom")
    assert not probes.is_open(value)


def test_dropped_socket_is_closed_by_its_finalizer() -> None:
    sock = sh.Socket.create(sh.AddressFamily.INET6, sh.SocketKind.DGRAM)
    value = sock.dangerous_get_handle()
    with pytest.warns(ResourceWarning):
        del sock
        gc.collect()
    assert not probes.is_open(value)


def test_a_failed_closesocket_raises_with_its_wsa_error() -> None:
    raw = ws2_32.WSASocketW(2, 1, 0, ffi.NULL, 0, 0x80)
    assert raw != -1
    sock = sh.Socket.from_raw(raw, owns_handle=True)
    assert ws2_32.closesocket(raw) == 0  # behind the wrapper's back
    with pytest.raises(OSError, match="closesocket") as caught:
        sock.close()
    assert probes.winerror(caught.value) == 10038  # WSAENOTSOCK
    assert sock.is_closed


# -- creators' failure paths ------------------------------------------------------


def test_unsupported_address_family_raises_wsaeafnosupport() -> None:
    before = winsock.count
    with pytest.raises(OSError, match="WSASocketW") as caught:
        sh.Socket.create(9999)
    assert probes.winerror(caught.value) == 10047
    assert winsock.count == before


def test_accept_on_a_socket_that_does_not_listen_raises_wsaeinval() -> None:
    with sh.Socket.create() as sock:
        sock.bind(("127.0.0.1", 0))
        with pytest.raises(OSError, match="accept") as caught:
            sock.accept()
        assert probes.winerror(caught.value) == 10022


def test_connect_to_a_closed_port_is_refused() -> None:
    with sh.Socket.create() as unused:
        unused.bind(("127.0.0.1", 0))
        address = unused.getsockname()  # bound, not listening: nobody accepts there
        with sh.Socket.create() as client, pytest.raises(ConnectionRefusedError, match="connect"):
            client.connect(address)


# -- operations -------------------------------------------------------------------


@pytest.mark.parametrize(("family", "host"), LOOPBACKS)
def test_round_trip_with_send_recv_and_shutdown(family: sh.AddressFamily, host: str) -> None:
    server, client, peer, address = connected(family, host)
    values = [s.dangerous_get_handle() for s in (server, client, peer)]
    with server, client, peer:
        assert address == client.getsockname()
        assert client.getpeername() == server.getsockname()
        assert peer.getsockname()[:2] == server.getsockname()[:2]
        assert address[0] == host
        assert peer.family is family
        assert client.send(b"hello") == 5
        client.sendall(bytearray(b" world" * 1000))
        received = b""
        for _ in range(1000):
            if len(received) == 6005:
                break
            received += peer.recv(8192)
        assert received == b"hello" + b" world" * 1000
        client.shutdown(sh.ShutdownHow.SEND)
        assert peer.recv(10) == b""  # orderly shutdown
        peer.sendall(memoryview(b"bye"))
        assert client.recv(3) == b"bye"
    assert not any(probes.is_open(v) for v in values)


def test_datagram_sockets_work_too() -> None:
    with sh.Socket.create(type=sh.SocketKind.DGRAM) as a, sh.Socket.create(type=sh.SocketKind.DGRAM) as b:
        a.bind(("127.0.0.1", 0))
        b.connect(a.getsockname())
        b.send(b"datagram")
        assert a.recv(100) == b"datagram"


def test_close_while_recv_blocks_is_deferred_until_recv_returns(pair: tuple[sh.Socket, sh.Socket]) -> None:
    client, peer = pair
    value = peer.dangerous_get_handle()
    results: list[object] = []

    def receive() -> None:
        try:
            results.append(peer.recv(10))
        except BaseException as exc:
            results.append(exc)

    reader = threading.Thread(target=receive)
    reader.start()
    for _ in range(500):  # until the reader holds its reference for the call
        if len(peer._refs) > 1:
            break
        time.sleep(0.01)
    time.sleep(0.1)  # and is inside the native recv
    peer.close()
    assert reader.is_alive()
    assert probes.is_open(value)  # the close waits for the call
    assert not peer.is_closed
    client.sendall(b"wake")
    reader.join(10)
    assert results == [b"wake"]
    assert peer.is_closed
    assert not probes.is_open(value)


# -- inheritance and duplication --------------------------------------------------


def test_sockets_are_not_inheritable_unless_asked() -> None:
    with sh.Socket.create() as plain, sh.Socket.create(inheritable=True) as inherited:
        assert not inherit_flag(plain.dangerous_get_handle())
        assert inherit_flag(inherited.dangerous_get_handle())
        assert not plain.inheritable
        plain.inheritable = True
        assert inherit_flag(plain.dangerous_get_handle())


def test_accepted_sockets_are_not_inheritable_unless_asked() -> None:
    with sh.Socket.create(inheritable=True) as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        with sh.Socket.create() as one, sh.Socket.create() as two:
            one.connect(server.getsockname())
            two.connect(server.getsockname())
            first, _ = server.accept()
            second, _ = server.accept(inheritable=True)
            with first, second:
                assert not inherit_flag(first.dangerous_get_handle())
                assert inherit_flag(second.dangerous_get_handle())


def test_duplicate_is_an_independent_socket_on_the_same_connection(pair: tuple[sh.Socket, sh.Socket]) -> None:
    client, peer = pair
    copy = client.duplicate()
    value, copy_value = client.dangerous_get_handle(), copy.dangerous_get_handle()
    assert copy_value != value
    assert not inherit_flag(copy_value)
    client.close()
    assert not probes.is_open(value)
    with copy:
        assert probes.is_open(copy_value)
        copy.sendall(b"from the copy")
        assert peer.recv(100) == b"from the copy"
    assert not probes.is_open(copy_value)


# -- Python's socket.socket -------------------------------------------------------


def test_from_python_with_transfer_makes_the_wrapper_the_only_closer() -> None:
    py = socket.socket()
    value = py.fileno()
    sock = sh.Socket.from_python(py, transfer=True)
    assert py.fileno() == -1  # detached: the Python socket never closes it
    py.close()
    assert probes.is_open(value)
    sock.bind(("127.0.0.1", 0))
    sock.close()
    assert not probes.is_open(value)


def test_from_python_without_transfer_borrows() -> None:
    with socket.socket() as py:
        value = py.fileno()
        sock = sh.Socket.from_python(py, transfer=False)
        assert not sock.owns_handle
        sock.bind(("127.0.0.1", 0))
        assert py.getsockname() == sock.getsockname()
        sock.close()
        assert probes.is_open(value)  # the wrapper never closes what it borrowed
    assert not probes.is_open(value)


def test_to_python_hands_the_socket_over() -> None:
    sock = sh.Socket.create()
    value = sock.dangerous_get_handle()
    py = sock.to_python()
    assert sock.is_closed
    sock.close()
    assert probes.is_open(value)
    with py:
        assert py.fileno() == value
        assert py.family == socket.AF_INET
        py.bind(("127.0.0.1", 0))
    assert not probes.is_open(value)


def test_a_borrowed_socket_cannot_be_handed_over() -> None:
    with socket.socket() as py:
        sock = sh.Socket.from_python(py, transfer=False)
        with pytest.raises(ValueError, match="borrowed"):
            sock.to_python()
        sock.close()


def test_from_raw_refuses_a_handle_that_is_not_a_socket() -> None:
    with sh.Event.create() as event:
        value = event.dangerous_get_handle()
        with pytest.raises(TypeError, match="not a socket") as caught:
            sh.Socket.from_raw(value, owns_handle=True)
        assert probes.winerror(caught.value.__cause__) == 10038  # type: ignore[arg-type]
        assert probes.is_open(value)  # left to its owner


def test_from_raw_reads_the_family_of_a_socket() -> None:
    with sh.Socket.create(sh.AddressFamily.INET6, sh.SocketKind.DGRAM) as original:
        borrowed = sh.Socket.from_raw(original.dangerous_get_handle(), owns_handle=False)
        assert borrowed.family is sh.AddressFamily.INET6
        assert borrowed.type is sh.SocketKind.DGRAM
        borrowed.close()
        assert probes.is_open(original.dangerous_get_handle())


# -- Winsock's start-up count -----------------------------------------------------


def test_each_owned_socket_holds_one_winsock_reference_until_closed() -> None:
    before = winsock.count
    first, second = sh.Socket.create(), sh.Socket.create()
    assert winsock.count == before + 2
    second.close()  # the order does not matter
    assert winsock.count == before + 1
    first.close()
    assert winsock.count == before
    with socket.socket() as py:
        borrowed = sh.Socket.from_python(py, transfer=False)
        assert winsock.count == before  # a borrowed socket relies on its owner
        borrowed.close()


def test_the_last_socket_cleans_winsock_up_in_a_process_without_python_sockets() -> None:
    # Importing Python's _socket calls WSAStartup, and typing_extensions imports it (directly
    # before 3.13, through types.CapsuleType since) only for the type of its CAPI capsule.
    # The child gets a stand-in holding another capsule, so only this library starts Winsock.
    code = """
import datetime, sys, types
sys.modules["_socket"] = types.SimpleNamespace(CAPI=datetime.datetime_CAPI)
import safehandles as sh
from safehandles._bindings._native import ws2_32

def raw_socket_error():
    value = ws2_32.socket(2, 1, 0)
    if value == -1:
        return ws2_32.WSAGetLastError()
    ws2_32.closesocket(value)
    return 0

seen = [raw_socket_error()]
first, second = sh.Socket.create(), sh.Socket.create()
seen.append(raw_socket_error())
first.close()
seen.append(raw_socket_error())
del second  # finalized, not closed
seen.append(raw_socket_error())
print(seen)
"""
    result = run_python(code, "-W", "ignore::ResourceWarning")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[10093, 0, 0, 10093]"  # WSANOTINITIALISED after the last one


# -- bad input: raised before any native call -------------------------------------


@pytest.mark.parametrize(
    ("address", "error"),
    [
        ("127.0.0.1:80", TypeError),
        (("127.0.0.1",), TypeError),
        (("127.0.0.1", 80, 0, 0), TypeError),  # a 4-tuple is IPv6's
        ((b"127.0.0.1", 80), TypeError),
        (("127.0.0.1", "80"), TypeError),
        (("127.0.0.1", 65536), ValueError),
        (("127.0.0.1", -1), ValueError),
        (("localhost", 80), ValueError),  # names are not resolved
        (("::1", 80), ValueError),
    ],
)
def test_bad_ipv4_addresses_raise_before_any_call(address: Any, error: type[Exception]) -> None:
    with sh.Socket.create() as sock:
        with pytest.raises(error):
            sock.bind(address)
        with pytest.raises(error):
            sock.connect(address)


@pytest.mark.parametrize(
    ("address", "error"),
    [
        (("::1", 0, 1 << 20), ValueError),
        (("::1", 0, 0, -1), ValueError),
        (("::1", 0, 0, 0, 0), TypeError),
        (("127.0.0.1", 0), ValueError),
        (("fe80::1%eth0", 0), ValueError),
    ],
)
def test_bad_ipv6_addresses_raise_before_any_call(address: Any, error: type[Exception]) -> None:
    with sh.Socket.create(sh.AddressFamily.INET6) as sock, pytest.raises(error):
        sock.bind(address)


def test_bad_arguments_raise_before_any_socket_is_made() -> None:
    before = winsock.count
    with pytest.raises(TypeError):
        sh.Socket.create("inet")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="family must be between"):
        sh.Socket.create(1 << 40)
    with pytest.raises(TypeError):
        sh.Socket.from_python(object(), transfer=True)  # type: ignore[arg-type]
    assert winsock.count == before


def test_bad_sizes_and_modes_raise(pair: tuple[sh.Socket, sh.Socket]) -> None:
    client, _ = pair
    with pytest.raises(ValueError, match="size"):
        client.recv(-1)
    with pytest.raises(TypeError):
        client.recv(1.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="ShutdownHow"):
        client.shutdown(7)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        client.send("text")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="backlog"):
        client.listen(-1)


def test_a_closed_socket_raises_object_disposed_for_every_operation() -> None:
    sock = sh.Socket.create()
    sock.close()
    operations: list[Callable[[], object]] = [
        lambda: sock.bind(("127.0.0.1", 0)),
        lambda: sock.connect(("127.0.0.1", 1)),
        sock.listen,
        sock.accept,
        lambda: sock.send(b"x"),
        lambda: sock.sendall(b"x"),
        lambda: sock.recv(1),
        lambda: sock.shutdown(sh.ShutdownHow.BOTH),
        sock.getsockname,
        sock.getpeername,
        sock.duplicate,
        sock.to_python,
        lambda: sock.settimeout(1),
        lambda: sock.setblocking(False),
        lambda: sock.setsockopt(sh.SocketOptionLevel.SOCKET, sh.SocketOption.KEEPALIVE, 1),
        lambda: sock.getsockopt(sh.SocketOptionLevel.SOCKET, sh.SocketOption.TYPE),
        lambda: sock.sendto(b"x", ("127.0.0.1", 1)),
        lambda: sock.recvfrom(1),
        lambda: sock.share(os.getpid()),
        sock.fileno,
        lambda: sock.inheritable,
    ]
    for operation in operations:
        with pytest.raises(sh.ObjectDisposedError):
            operation()


def test_a_closed_python_socket_is_refused() -> None:
    py = socket.socket()
    py.close()
    with pytest.raises(ValueError, match="closed"):
        sh.Socket.from_python(py, transfer=True)


def test_accept_and_duplicate_on_a_closed_socket_raise_before_any_native_call() -> None:
    listener = sh.Socket.create()
    listener.close()
    with pytest.raises(sh.ObjectDisposedError):
        listener.accept()
    with pytest.raises(sh.ObjectDisposedError):
        listener.duplicate()


# -- addresses as the standard library types them ---------------------------------


def test_addresses_are_the_tuples_python_returns_with_typed_fields() -> None:
    server, client, peer, _ = connected()
    with server, client, peer:
        check_addresses(client, peer)


def check_addresses(client: sh.Socket, peer: sh.Socket) -> None:
    address = client.getpeername()
    assert isinstance(address, sh.SocketAddress)
    assert isinstance(address, tuple)
    assert address == peer.getsockname()
    host, port = address  # unpacks as Python's (host, port)
    assert (address.host, address.port) == (host, port) == ("127.0.0.1", port)
    assert (address.flowinfo, address.scope_id) == (0, 0)
    # What the typing promises: the stdlib takes it (tests/typing/user_code.py type-checks this).
    with socket.create_connection(address, timeout=10):
        pass
    with sh.Socket.create(sh.AddressFamily.INET6) as six:
        six.bind(("::1", 0))
        v6 = six.getsockname()
        assert len(v6) == 4
        assert (v6.host, v6.port, v6.flowinfo, v6.scope_id) == v6
        with socket.socket(socket.AF_INET6) as python:
            python.bind(("::1", 0))
            assert type(python.getsockname()) is tuple
            assert len(python.getsockname()) == len(v6)


# -- timeouts and non-blocking mode ----------------------------------------------


def test_blocking_is_the_default_and_timeouts_read_back() -> None:
    with sh.Socket.create() as sock:
        assert sock.gettimeout() is None
        assert sock.getblocking()
        sock.settimeout(1.5)
        assert sock.gettimeout() == 1.5
        assert sock.getblocking()
        sock.setblocking(False)
        assert sock.gettimeout() == 0.0
        assert not sock.getblocking()
        sock.settimeout(math.inf)
        assert sock.gettimeout() is None


def test_recv_with_a_timeout_raises_timeout_error_and_the_socket_still_works(
    pair: tuple[sh.Socket, sh.Socket],
) -> None:
    client, peer = pair
    peer.settimeout(0.3)
    started = time.monotonic()
    with pytest.raises(TimeoutError, match="recv timed out"):
        peer.recv(10)
    assert 0.25 <= time.monotonic() - started < 5
    client.sendall(b"late")
    assert peer.recv(10) == b"late"  # waits (up to the timeout) for data that comes


def test_non_blocking_mode_is_the_os_mode(pair: tuple[sh.Socket, sh.Socket]) -> None:
    client, peer = pair
    peer.setblocking(False)
    with pytest.raises(BlockingIOError) as caught:
        peer.recv(10)
    assert probes.winerror(caught.value) == 10035  # WSAEWOULDBLOCK, from Winsock itself
    client.sendall(b"now")
    for _ in range(100):
        try:
            assert peer.recv(10) == b"now"
            break
        except BlockingIOError:
            time.sleep(0.01)
    else:
        pytest.fail("the data never arrived")
    peer.setblocking(True)  # and back: recv waits again
    client.sendall(b"again")
    assert peer.recv(10) == b"again"


def test_accept_with_a_timeout_and_the_accepted_socket_is_blocking() -> None:
    with sh.Socket.create() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        server.settimeout(0.2)
        with pytest.raises(TimeoutError, match="accept"):
            server.accept()
        with sh.Socket.create() as client:
            client.connect(server.getsockname())
            peer, _ = server.accept()
            with peer:
                assert peer.gettimeout() is None
                results: list[bytes] = []
                reader = threading.Thread(target=lambda: results.append(peer.recv(5)))
                reader.start()
                time.sleep(0.3)
                assert reader.is_alive()  # a blocking recv: it did not fail with WSAEWOULDBLOCK
                client.sendall(b"hello")
                reader.join(10)
                assert results == [b"hello"]


def test_connect_with_a_timeout_connects_or_reports_the_refusal() -> None:
    with sh.Socket.create() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        with sh.Socket.create() as client:
            client.settimeout(10)
            client.connect(server.getsockname())
            assert client.getpeername() == server.getsockname()
        unused = server.getsockname()
    with sh.Socket.create() as client:
        client.settimeout(10)
        with pytest.raises(ConnectionRefusedError, match="connect") as caught:
            client.connect(unused)  # nobody listens there any more
        assert probes.winerror(caught.value) == 10061  # WSAECONNREFUSED, from SO_ERROR


def test_non_blocking_connect_goes_on_after_blocking_io_error() -> None:
    with sh.Socket.create() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        with sh.Socket.create() as client:
            client.setblocking(False)
            with pytest.raises(BlockingIOError) as caught:
                client.connect(server.getsockname())
            assert probes.winerror(caught.value) == 10035
            _, writable, _ = select.select([], [client], [], 10)
            assert writable == [client]
            assert client.getsockopt(sh.SocketOptionLevel.SOCKET, sh.SocketOption.ERROR) == 0
            assert client.getpeername() == server.getsockname()


def test_sendall_with_a_timeout_gives_up_when_the_peer_does_not_read(
    pair: tuple[sh.Socket, sh.Socket],
) -> None:
    client, _ = pair
    client.setsockopt(sh.SocketOptionLevel.SOCKET, sh.SocketOption.SNDBUF, 4096)
    client.settimeout(0.5)
    with pytest.raises(TimeoutError, match="send timed out"):
        client.sendall(b"x" * (64 << 20))  # far more than the buffers of both sides hold


@pytest.mark.parametrize("bad", [-1.0, math.nan, 10.0**10])
def test_bad_timeouts_are_value_errors_and_change_nothing(bad: float) -> None:
    with sh.Socket.create() as sock:
        sock.settimeout(2.0)
        with pytest.raises(ValueError, match="timeout"):
            sock.settimeout(bad)
        assert sock.gettimeout() == 2.0
    with sh.Socket.create() as sock, pytest.raises(TypeError):
        sock.settimeout("1")  # type: ignore[arg-type]
    with sh.Socket.create() as sock, pytest.raises(TypeError):
        sock.setblocking(1)  # type: ignore[arg-type]


def test_modes_travel_with_python_sockets() -> None:
    sock = sh.Socket.create()
    sock.settimeout(0.25)
    with sock.to_python() as python:
        assert python.gettimeout() == 0.25
    with socket.socket() as python:
        python.setblocking(False)
        borrowed = sh.Socket.from_python(python, transfer=False)
        assert borrowed.gettimeout() == 0.0
        borrowed.close()
        python.settimeout(3)
        owned = sh.Socket.from_python(python, transfer=True)
        with owned:
            assert owned.gettimeout() is None  # transferred sockets are put in blocking mode


# -- select and selectors -----------------------------------------------------------


def test_select_and_selectors_accept_a_socket(pair: tuple[sh.Socket, sh.Socket]) -> None:
    client, peer = pair
    assert peer.fileno() == peer.dangerous_get_handle()
    assert select.select([peer], [], [], 0) == ([], [], [])
    client.sendall(b"ready")
    readable, writable, _ = select.select([peer], [client], [], 10)
    assert (readable, writable) == ([peer], [client])
    with selectors.DefaultSelector() as selector:
        key = selector.register(peer, selectors.EVENT_READ, data="peer")
        events = selector.select(timeout=10)
        assert [(k.fileobj, k.data, mask) for k, mask in events] == [(peer, "peer", selectors.EVENT_READ)]
        assert key.fd == peer.fileno()
        assert peer.recv(10) == b"ready"
        peer.close()
        selector.unregister(peer)  # a closed wrapper's fileno() is a ValueError, which selectors expect
    with pytest.raises(sh.ObjectDisposedError):
        peer.fileno()


# -- options ------------------------------------------------------------------------


def test_socket_options_set_and_read_back() -> None:
    with sh.Socket.create() as sock:
        level = sh.SocketOptionLevel.SOCKET
        assert sock.getsockopt(level, sh.SocketOption.TYPE) == sh.SocketKind.STREAM
        sock.setsockopt(level, sh.SocketOption.REUSEADDR, True)
        assert sock.getsockopt(level, sh.SocketOption.REUSEADDR) == 1
        sock.setsockopt(level, sh.SocketOption.KEEPALIVE, 1)
        assert sock.getsockopt(level, sh.SocketOption.KEEPALIVE) == 1
        sock.setsockopt(level, sh.SocketOption.RCVBUF, 32768)
        assert sock.getsockopt(level, sh.SocketOption.RCVBUF) == 32768
        sock.setsockopt(sh.SocketOptionLevel.TCP, sh.TcpOption.NODELAY, True)
        assert sock.getsockopt(sh.SocketOptionLevel.TCP, sh.TcpOption.NODELAY) == 1
        linger = (1).to_bytes(2, "little") + (5).to_bytes(2, "little")  # LINGER {onoff 1, 5 s}
        sock.setsockopt(level, sh.SocketOption.LINGER, linger)
        assert sock.getsockopt(level, sh.SocketOption.LINGER, 4) == linger
    with sh.Socket.create(sh.AddressFamily.INET6) as six:
        six.setsockopt(sh.SocketOptionLevel.IPV6, sh.Ipv6Option.V6ONLY, 0)
        assert six.getsockopt(sh.SocketOptionLevel.IPV6, sh.Ipv6Option.V6ONLY) == 0


def test_an_unknown_option_raises_with_its_wsa_error() -> None:
    with sh.Socket.create() as sock:
        with pytest.raises(OSError, match="getsockopt") as caught:
            sock.getsockopt(sh.SocketOptionLevel.SOCKET, 0x7777)
        assert probes.winerror(caught.value) == 10042  # WSAENOPROTOOPT
        with pytest.raises(OSError, match="setsockopt") as caught:
            sock.setsockopt(sh.SocketOptionLevel.SOCKET, 0x7777, 1)
        assert probes.winerror(caught.value) == 10042
        with pytest.raises(OSError, match="setsockopt") as caught:
            sock.setsockopt(0x7777, 1, 1)
        assert probes.winerror(caught.value) == 10022  # WSAEINVAL: the level is not valid


def test_bad_option_arguments_raise_before_any_call() -> None:
    with sh.Socket.create() as sock:
        with pytest.raises(TypeError, match="value"):
            sock.setsockopt(sh.SocketOptionLevel.SOCKET, sh.SocketOption.RCVBUF, "big")  # type: ignore[arg-type]
        with pytest.raises(ValueError, match="value"):
            sock.setsockopt(sh.SocketOptionLevel.SOCKET, sh.SocketOption.RCVBUF, 1 << 40)
        with pytest.raises(TypeError, match="level"):
            sock.getsockopt(None, 1)  # type: ignore[call-overload]
        with pytest.raises(ValueError, match="buflen"):
            sock.getsockopt(sh.SocketOptionLevel.SOCKET, sh.SocketOption.LINGER, 0)


# -- datagrams with addresses -------------------------------------------------------


@pytest.mark.parametrize(("family", "host"), LOOPBACKS)
def test_sendto_and_recvfrom_carry_the_addresses(family: sh.AddressFamily, host: str) -> None:
    kind = sh.SocketKind.DGRAM
    with sh.Socket.create(family, kind) as a, sh.Socket.create(family, kind) as b:
        a.bind((host, 0))
        b.bind((host, 0))
        assert b.sendto(b"to a", a.getsockname()) == 4
        data, source = a.recvfrom(100)
        assert (data, source) == (b"to a", b.getsockname())
        a.sendto(memoryview(b"back"), source)
        assert b.recvfrom(100) == (b"back", a.getsockname())
        a.settimeout(0.2)
        with pytest.raises(TimeoutError, match="recvfrom"):
            a.recvfrom(100)


def test_a_datagram_longer_than_the_buffer_is_wsaemsgsize() -> None:
    kind = sh.SocketKind.DGRAM
    with sh.Socket.create(type=kind) as a, sh.Socket.create(type=kind) as b:
        a.bind(("127.0.0.1", 0))
        b.sendto(b"0123456789", a.getsockname())
        with pytest.raises(OSError, match="recvfrom") as caught:
            a.recvfrom(4)
        assert probes.winerror(caught.value) == 10040


# -- sharing with another process ---------------------------------------------------


SHARE_CHILD = """
import socket, sys
import safehandles as sh
data = bytes.fromhex(sys.stdin.readline())
if sys.argv[1] == "python":
    sock = socket.fromshare(data)
    sock.sendall(b"from python's fromshare")
    sock.close()
else:
    with sh.Socket.from_share(data) as sock:
        assert not sock.inheritable
        sock.sendall(b"from Socket.from_share " + repr((int(sock.family), int(sock.type))).encode())
"""


@pytest.mark.parametrize("opener", ["safehandles", "python"])
def test_share_gives_a_child_its_own_copy_of_the_socket(
    pair: tuple[sh.Socket, sh.Socket], opener: str
) -> None:
    client, peer = pair
    child = subprocess.Popen(
        [sys.executable, "-c", python_code(SHARE_CHILD), opener],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    with child, sh.Process.from_popen(child) as process:
        data = client.share(process)  # for that process alone
        assert len(data) == 628
        _, errors = child.communicate(data.hex().encode() + b"\n", timeout=60)
        assert child.returncode == 0, errors
    expected = b"from python's fromshare" if opener == "python" else b"from Socket.from_share (2, 1)"
    received = b""
    while len(received) < len(expected):
        chunk = peer.recv(100)
        assert chunk
        received += chunk
    assert received == expected
    client.sendall(b"still ours")  # the child closed its copy, not this one
    assert peer.recv(100) == b"still ours"


def test_from_share_takes_what_python_s_share_made() -> None:
    with socket.socket() as python:
        python.bind(("127.0.0.1", 0))
        data = python.share(os.getpid())  # type: ignore[attr-defined,unused-ignore]
        with sh.Socket.from_share(data) as copy:
            assert copy.getsockname() == python.getsockname()
            assert copy.family is sh.AddressFamily.INET
            value = copy.dangerous_get_handle()
            assert probes.is_open(value)
        assert not probes.is_open(value)


def test_share_and_from_share_refuse_bad_input() -> None:
    with sh.Socket.create() as sock:
        with pytest.raises(TypeError, match="Process or a pid"):
            sock.share("me")  # type: ignore[arg-type]
        with pytest.raises(ValueError, match="process"):
            sock.share(-1)
        with pytest.raises(ValueError, match="duplicated into another process"):
            sock.duplicate(target_process=sh.Process.current())
    before = winsock.count
    with pytest.raises(ValueError, match="628 bytes"):
        sh.Socket.from_share(b"short")
    with pytest.raises(TypeError):
        sh.Socket.from_share("text")  # type: ignore[arg-type]
    assert winsock.count == before


def test_a_duplicate_keeps_the_timeout(pair: tuple[sh.Socket, sh.Socket]) -> None:
    client, peer = pair
    peer.settimeout(0.2)
    with peer.duplicate() as copy:
        assert copy.gettimeout() == 0.2
        with pytest.raises(TimeoutError):
            copy.recv(1)
        client.sendall(b"!")
        assert copy.recv(1) == b"!"
