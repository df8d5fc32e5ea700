"""One class per kind of Windows object, each pairing its creators with the right destroyer."""
