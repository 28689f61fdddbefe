"""Process memory: large blocks go back to the system when they are freed.

glibc serves blocks below a moving threshold (128 KiB at start, raised up to 32 MiB each
time a large mapped block is freed) from its heap, and a heap only shrinks from the top.
A forecast of 1M deals multiplies thousands of FFT work arrays of 1-30 MiB one after the
other; on the heap their holes added 140 MB to the process's resident memory, while with
every block of 1 MiB or more mapped on its own the same forecast added 70 MB
(``salestrain forecast`` peak: 469 MB before, about 375 MB after; benchmarks/tables.py,
issue 18). Mapping a block costs a system call, which is nothing next to the work done
with a megabyte of data.

Only the commands that read big tables call :func:`return_large_blocks`; elsewhere (a
notebook kernel) the C library's defaults stay. Other C libraries (macOS, musl) have no
``mallopt`` with this meaning: there it does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys

_M_MMAP_THRESHOLD = -3  # glibc's malloc.h
LARGE_BLOCK = 1 << 20


def return_large_blocks(threshold: int = LARGE_BLOCK) -> bool:
    """Map blocks of ``threshold`` bytes or more on their own (glibc); True when set."""
    if not sys.platform.startswith("linux"):
        return False
    name = ctypes.util.find_library("c")
    if name is None:
        return False
    try:
        libc = ctypes.CDLL(name)
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # not glibc
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    return bool(mallopt(_M_MMAP_THRESHOLD, threshold))
