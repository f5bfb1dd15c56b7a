"""Linux Landlock: a grading kernel that runs without bubblewrap may write only in its own
folders, and cannot signal or trace processes outside its tree.

Landlock (Linux 5.13 and later) needs no privilege and no namespaces, so it works where
bubblewrap cannot run (a container without user namespaces). ``restrict_writes(folders)``
applies to the calling process and everything it starts; reading is not restricted. Returns
None when applied, else why not (not Linux, an older kernel, Landlock disabled).
"""

from __future__ import annotations

import ctypes
import os
import sys

# System call numbers (the same on every Linux architecture: added after the tables merged).
CREATE_RULESET, ADD_RULE, RESTRICT_SELF = 444, 445, 446
CREATE_RULESET_VERSION = 1
RULE_PATH_BENEATH = 1
PR_SET_NO_NEW_PRIVS = 38

# Access rights to the file system (include/uapi/linux/landlock.h)
WRITE_FILE, REMOVE_DIR, REMOVE_FILE = 1 << 1, 1 << 4, 1 << 5
MAKE = (1 << 6) | (1 << 7) | (1 << 8) | (1 << 9) | (1 << 10) | (1 << 11) | (1 << 12)
REFER, TRUNCATE = 1 << 13, 1 << 14  # ABI 2, ABI 3
SCOPE_ABSTRACT_UNIX_SOCKET, SCOPE_SIGNAL = 1 << 0, 1 << 1  # ABI 6


class _RulesetAttr(ctypes.Structure):
    _fields_ = [("handled_access_fs", ctypes.c_uint64), ("handled_access_net", ctypes.c_uint64),
                ("scoped", ctypes.c_uint64)]


class _PathBeneath(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


def _libc():
    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall.restype = ctypes.c_long
    return libc


def abi() -> int:
    """Landlock's ABI version here (0: unavailable)."""
    if not sys.platform.startswith("linux"):
        return 0
    try:
        version = _libc().syscall(CREATE_RULESET, None, ctypes.c_size_t(0),
                                  ctypes.c_uint32(CREATE_RULESET_VERSION))
    except (OSError, AttributeError):
        return 0
    return max(int(version), 0)


def problem() -> str | None:
    """Why writes cannot be restricted here, or None."""
    if not sys.platform.startswith("linux"):
        return f"Landlock is Linux only (this is {sys.platform})"
    if abi() < 1:
        return "the Linux kernel has no Landlock (5.13 or later, with Landlock enabled)"
    return None


def restrict_writes(writable: list[str], device_files: tuple[str, ...] = ("/dev",)) -> str | None:
    """From now on this process and its children may create, change or delete files only
    beneath ``writable``, and write to existing files beneath ``device_files`` (/dev/null)."""
    why = problem()
    if why:
        return why
    version = abi()
    handled = WRITE_FILE | REMOVE_DIR | REMOVE_FILE | MAKE
    if version >= 2:
        handled |= REFER
    if version >= 3:
        handled |= TRUNCATE
    scoped = SCOPE_ABSTRACT_UNIX_SOCKET | SCOPE_SIGNAL if version >= 6 else 0
    libc = _libc()
    attr = _RulesetAttr(handled, 0, scoped)
    size = ctypes.sizeof(_RulesetAttr) if version >= 6 else ctypes.sizeof(ctypes.c_uint64)
    ruleset = libc.syscall(CREATE_RULESET, ctypes.byref(attr), ctypes.c_size_t(size),
                           ctypes.c_uint32(0))
    if ruleset < 0:
        return f"landlock_create_ruleset failed: {os.strerror(ctypes.get_errno())}"
    try:
        rules = [(path, handled) for path in writable]
        rules += [(path, WRITE_FILE | (TRUNCATE if version >= 3 else 0))
                  for path in device_files]
        for path, access in rules:
            try:
                fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
            except OSError:
                continue
            try:
                rule = _PathBeneath(access, fd)
                if libc.syscall(ADD_RULE, ctypes.c_int(ruleset), ctypes.c_int(RULE_PATH_BENEATH),
                                ctypes.byref(rule), ctypes.c_uint32(0)) < 0:
                    return (f"landlock_add_rule failed for {path}: "
                            f"{os.strerror(ctypes.get_errno())}")
            finally:
                os.close(fd)
        if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
            return f"prctl(NO_NEW_PRIVS) failed: {os.strerror(ctypes.get_errno())}"
        if libc.syscall(RESTRICT_SELF, ctypes.c_int(ruleset), ctypes.c_uint32(0)) < 0:
            return f"landlock_restrict_self failed: {os.strerror(ctypes.get_errno())}"
    finally:
        os.close(ruleset)
    return None
