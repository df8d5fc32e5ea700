"""Public names say ``safehandles``: repr, help and pickles name the package, not its private modules."""

from __future__ import annotations

import datetime
import enum
import inspect
import pickle
import pydoc
import typing

import pytest

import safehandles as sh


def _public_classes_and_functions() -> list[tuple[str, type | typing.Callable[..., object]]]:
    return [
        (name, obj)
        for name in sh.__all__
        if inspect.isclass(obj := getattr(sh, name)) or inspect.isfunction(obj)
    ]


def test_every_public_class_and_function_says_it_comes_from_safehandles() -> None:
    public = _public_classes_and_functions()
    assert len(public) > 100  # everything in __all__ but __version__
    elsewhere = {name: obj.__module__ for name, obj in public if obj.__module__ != "safehandles"}
    assert elsewhere == {}


def test_type_hints_still_resolve_where_they_were_written() -> None:
    # Class annotations are looked up in the module __module__ names; they use private
    # names (RegistryKey's _Predefined) and modules (datetime) that safehandles does not export.
    assert sh.EventRecord.__module__ == "safehandles"
    assert typing.get_type_hints(sh.EventRecord)["time_generated"] is datetime.datetime
    predefined = typing.get_type_hints(sh.RegistryKey)["HKEY_CURRENT_USER"]
    assert typing.get_origin(predefined) is typing.ClassVar
    assert typing.get_type_hints(sh.KindDiff)["opened"] == tuple[sh.OpenedHandle, ...]
    unresolved = {}
    for name, obj in _public_classes_and_functions():
        try:
            typing.get_type_hints(obj)
        except NameError as exc:
            unresolved[name] = str(exc)
    assert unresolved == {}
    # Methods resolve theirs through their globals, which the rename leaves alone.
    assert typing.get_type_hints(sh.Event.create)["manual_reset"] is bool
    assert typing.get_type_hints(sh.RegistryKey.open)["return"] is sh.RegistryKey
    assert typing.get_type_hints(sh.Snapshot.compare_to)["return"] == list[sh.KindDiff]


@pytest.mark.parametrize("protocol", range(pickle.HIGHEST_PROTOCOL + 1))
def test_enums_keep_their_repr_and_pickle_through_the_package(protocol: int) -> None:
    member = sh.FileAccess.READ_DATA
    assert repr(member) == "<FileAccess.READ_DATA: 1>"
    combined = sh.FileAccess.READ_DATA | sh.FileAccess.WRITE_DATA
    for value in (member, combined, sh.ServiceState.RUNNING):
        payload = pickle.dumps(value, protocol)
        assert b"_bindings" not in payload  # pickled as safehandles.FileAccess, not its private module
        assert pickle.loads(payload) is value


def test_dataclasses_and_exceptions_keep_their_repr_and_pickle() -> None:
    settings = sh.CommSettings(baud_rate=9600, byte_size=8, parity=sh.Parity.NONE, stop_bits=sh.StopBits.ONE)
    assert repr(settings).startswith("CommSettings(baud_rate=9600, byte_size=8, parity=<Parity.NONE: 0>")
    payload = pickle.dumps(settings)
    assert b"_kinds" not in payload
    assert pickle.loads(payload) == settings
    error = pickle.loads(pickle.dumps(sh.ObjectDisposedError("Event is closed")))
    assert type(error) is sh.ObjectDisposedError
    assert str(error) == "Event is closed"


def test_help_names_the_package() -> None:
    event = pydoc.plain(pydoc.render_doc(sh.Event))
    assert "class Event in module safehandles\n" in event
    assert "safehandles._kinds" not in event
    # pydoc (3.11.9, 3.13) notes "from <module>.<class>" on a method whose module is not its class's.
    noted = [line for line in event.splitlines() if " from safehandles._" in line and "inherited" not in line]
    assert noted == []
    assert sh.Event.set.__module__ == sh.Event.create.__module__ == "safehandles"
    waits = pydoc.plain(pydoc.render_doc(sh.wait_any))
    assert "function wait_any in module safehandles\n" in waits
    assert repr(sh.Event) == "<class 'safehandles.Event'>"


def test_enum_values_print_by_name_and_format_as_numbers() -> None:
    combined = sh.FileAccess.READ_DATA | sh.FileAccess.WRITE_DATA
    assert str(combined) == "READ_DATA|WRITE_DATA"
    assert f"{sh.JobLimit.KILL_ON_JOB_CLOSE}" == "KILL_ON_JOB_CLOSE"
    assert f"{sh.CreationDisposition.OPEN_EXISTING}" == "OPEN_EXISTING"
    assert f"needs {sh.ProcessAccess.SET_QUOTA | sh.ProcessAccess.TERMINATE}" == "needs TERMINATE|SET_QUOTA"
    assert str(sh.JobUiLimit(0x100 | 0x1)) == "HANDLES|0x100"  # bits without a name stay visible
    assert str(sh.JobUiLimit(0)) == "NONE"
    assert str(sh.JobLimit(0)) == "0"
    assert str(sh.EventAccess.ALL_ACCESS) == "ALL_ACCESS"
    assert f"{combined:#x}" == "0x3"  # a format spec still formats the number
    assert int(combined) == 3
    assert repr(sh.JobMessage.EXIT_PROCESS) == "<JobMessage.EXIT_PROCESS: 7>"
    unnamed = []
    for name in sh.__all__:
        obj = getattr(sh, name)
        if inspect.isclass(obj) and issubclass(obj, (enum.IntEnum, enum.IntFlag)):
            first_name, first = next(iter(obj.__members__.items()))
            if str(first) != first_name:
                unnamed.append(name)
    assert unnamed == []
