"""The CFFI binding: declarations per DLL, the generated out-of-line module, typed DLL surfaces,
Win32 constants, and the one path from a failed call to ``OSError``."""
