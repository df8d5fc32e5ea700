"""Registry editing: create a key under HKEY_CURRENT_USER, write values of each type, read, list, delete.

``RegistryKey.create`` opens or creates a subkey (``created_new`` says which);
``set_value`` picks the value's type from the data (str, list of str, int,
bytes) unless told; ``get_value`` gives it back with its type; ``values`` and
``subkeys`` list the key; ``delete_tree`` removes the key and all below it.
Every key is a handle closed at the end of its ``with`` block. It ends with
safehandles' own leak check and exits 1 if anything it opened is still open.
"""

import sys
import uuid

import safehandles as sh


def edit_registry() -> None:
    path = f"Software\\safehandles-example-{uuid.uuid4()}"
    hkcu = sh.RegistryKey.HKEY_CURRENT_USER  # predefined: borrowed, never closed
    with hkcu.create(path) as key:
        print(f"created HKCU\\{path}: {key.created_new}")
        key.set_value("name", "safehandles")  # REG_SZ
        key.set_value("paths", ["C:\\tools", "D:\\bin"])  # REG_MULTI_SZ
        key.set_value("retries", 3)  # REG_DWORD
        key.set_value("big", 1 << 40)  # REG_QWORD: more than 32 bits
        key.set_value("blob", b"\x00\x01\x02")  # REG_BINARY
        key.set_value("home", "%USERPROFILE%\\app", sh.ValueType.EXPAND_SZ)  # a type of your choosing
        with key.create("settings") as settings:
            settings.set_value("", "the default value")  # "" is the key's default value

        retries = key.get_value("retries")
        print(f"retries: {retries.data!r} ({retries.type})")  # types print by name: DWORD
        for name, value in sorted(key.values()):
            print(f"  value {name}: {value.type} {value.data!r}")
        print(f"subkeys: {list(key.subkeys())}")

        key.delete_value("blob")
        try:
            key.get_value("blob")
        except FileNotFoundError:
            print("blob: deleted")
    hkcu.delete_tree(path)  # the key, its values and its subkeys
    try:
        hkcu.open(path).close()
    except FileNotFoundError:
        print(f"deleted HKCU\\{path}")


def main() -> int:
    if sys.platform != "win32":
        print("this example needs Windows (or Windows Python under Wine)")
        return 0
    # safehandles' own leak check: anything left open is listed with where it was created.
    with sh.LeakCheck() as leaks:
        edit_registry()
    print("leak check:", leaks)
    return 0 if leaks.clean else 1


if __name__ == "__main__":
    sys.exit(main())
