"""A process that can open no network socket: the query workers' second line of defence.

In: nothing. Out: from the call on, ``socket(AF_INET | AF_INET6, ...)`` fails with EPERM in
this process and its children (a seccomp filter, Linux only; `man 2 seccomp`).

The first line is :mod:`kg.sparql`, which refuses ``SERVICE`` and ``LOAD`` before a query
reaches a worker. The engine (pyoxigraph) performs ``SERVICE`` natively over HTTP, where Python's
audit hooks cannot see it, so a worker that can open no internet socket cannot reach anything,
whatever a query says. Unix sockets and the pipes to the server stay open.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import platform
import socket
import struct
import sys

PR_SET_NO_NEW_PRIVS = 38
PR_SET_SECCOMP = 22
SECCOMP_MODE_FILTER = 2
SECCOMP_RET_ALLOW = 0x7FFF0000
SECCOMP_RET_ERRNO = 0x00050000
EPERM = 1
# (audit architecture, number of the socket system call)
ARCHES = {"x86_64": (0xC000003E, 41), "aarch64": (0xC00000B7, 198)}
_LD_W_ABS, _JEQ_K, _RET_K = 0x20, 0x15, 0x06


def _filter(arch: int, nr_socket: int) -> bytes:
    """The BPF program: for socket() with an internet family, EPERM; everything else allowed."""

    def op(code: int, jt: int, jf: int, k: int) -> bytes:
        return struct.pack("HBBI", code, jt, jf, k)

    deny = SECCOMP_RET_ERRNO | EPERM
    return b"".join(
        (
            op(_LD_W_ABS, 0, 0, 4),  # seccomp_data.arch
            op(_JEQ_K, 1, 0, arch),
            op(_RET_K, 0, 0, SECCOMP_RET_ALLOW),  # another ABI: leave it (the filter is a wish there)
            op(_LD_W_ABS, 0, 0, 0),  # seccomp_data.nr
            op(_JEQ_K, 0, 3, nr_socket),  # not socket(): allowed
            op(_LD_W_ABS, 0, 0, 16),  # args[0], low word: the address family
            op(_JEQ_K, 2, 0, socket.AF_INET),
            op(_JEQ_K, 1, 0, socket.AF_INET6),
            op(_RET_K, 0, 0, SECCOMP_RET_ALLOW),
            op(_RET_K, 0, 0, deny),
        )
    )


def forbid_network() -> bool:
    """Forbid internet sockets in this process from now on; False where the system cannot."""
    arch = ARCHES.get(platform.machine())
    if not sys.platform.startswith("linux") or arch is None:
        return False
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    program = _filter(*arch)
    buffer = ctypes.create_string_buffer(program)

    class SockFprog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    prog = SockFprog(len(program) // 8, ctypes.cast(buffer, ctypes.c_void_p))
    if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        return False
    return bool(libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(prog), 0, 0) == 0)
