"""The minimal view of the machine a learner's kernel gets, as a bubblewrap command line.

bubblewrap (``bwrap``, Debian package ``bubblewrap``) starts the kernel in new user, PID,
mount, network, IPC and UTS namespaces, unprivileged: it needs no root. Inside, the root
of the file system is an empty tmpfs holding only:

- ``/usr`` (and the ``/bin``, ``/lib`` links into it) and a few files of ``/etc`` the C
  library and the fonts need, all read-only;
- the Python environment (the base interpreter's prefix and the virtual environment)
  and the ``salestrain`` package folder alone (not the checkout around it, which holds
  ``exercises/`` with hidden tests and solutions), read-only;
- the submission's own working folder, writable; a private ``/tmp`` and ``/dev/shm``
  (tmpfs, gone with the sandbox); a fresh ``/proc`` showing only its own processes; a
  minimal ``/dev``.

So no other file of the machine is there to read (a clone of the exercises in ``/tmp``,
another learner's folder), no unix socket of the host can be reached (its path does not
exist inside, and abstract sockets belong to the network namespace), and the only network
is a loopback of its own. The kernel talks to the grader over ZMQ ``ipc`` sockets in its
working folder: unix sockets found through the file system, which cross network
namespaces. The kernel is not PID 1: bubblewrap's own init is, and when the kernel exits
(or is killed) that init exits and the Linux kernel kills every process left in the PID
namespace, whatever ``setsid``, double forks or ``exec`` they did.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence

# Read-only from /etc: the dynamic loader's cache, time zone, fonts (matplotlib), names of
# users and groups (getpass, pwd). Nothing else of /etc (no hosts' keys, no configs).
ETC_FILES = ("ld.so.cache", "ld.so.conf", "ld.so.conf.d", "localtime", "fonts", "passwd",
             "group", "nsswitch.conf", "mime.types")
# Top-level folders that merged-/usr systems make links into /usr; elsewhere bound as is.
USR_LINKS = ("bin", "sbin", "lib", "lib32", "lib64", "libx32")


def _outermost(paths: Iterable[str]) -> list[str]:
    """The paths, real and deduplicated, without those inside another one of them."""
    real = sorted({os.path.realpath(p) for p in paths if os.path.exists(p)})
    return [p for p in real if not any(p != q and p.startswith(q.rstrip(os.sep) + os.sep)
                                       for q in real)]


def _inside(path: str, folders: Sequence[str]) -> bool:
    return any(path == f or path.startswith(f.rstrip(os.sep) + os.sep) for f in folders)


def bwrap_arguments(expose: Iterable[str], workdir: str, hide: Iterable[str] = (),
                    extra_writable: Iterable[str] = (), *, network: bool = False,
                    die_with_parent: bool = True) -> list[str]:
    """bubblewrap options (without the program and without the ``--`` before the command)
    for a kernel that sees ``expose`` read-only and ``workdir`` writable, with every path of
    ``hide`` that lies inside the view covered by an empty, unreadable mount.

    A hub's learner server needs ``network=True`` (the proxy reaches it on loopback) and
    ``die_with_parent=False`` (it must outlive a hub restart)."""
    workdir = os.path.realpath(workdir)
    args = ["--unshare-user", "--unshare-pid", *([] if network else ["--unshare-net"]),
            "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try", "--hostname", "sandbox",
            *(["--die-with-parent"] if die_with_parent else []), "--cap-drop", "ALL",
            "--ro-bind", "/usr", "/usr"]
    for name in USR_LINKS:
        path = "/" + name
        if os.path.islink(path):
            args += ["--symlink", os.readlink(path), path]
        elif os.path.isdir(path):
            args += ["--ro-bind", path, path]
    for name in ETC_FILES:
        args += ["--ro-bind-try", f"/etc/{name}", f"/etc/{name}"]
    args += ["--proc", "/proc", "--dev", "/dev", "--tmpfs", "/dev/shm", "--tmpfs", "/tmp"]
    readable = [p for p in _outermost(expose) if not _inside(p, ["/usr"])]
    # Parents before children, so that a folder bound later is not covered by an earlier one.
    for path in sorted(readable, key=len):
        args += ["--ro-bind", path, path]
    for path in sorted({workdir, *(os.path.realpath(p) for p in extra_writable)}, key=len):
        args += ["--bind", path, path]
    shown = [*readable, workdir, "/usr"]
    for path in sorted({os.path.realpath(p) for p in hide}, key=len):
        if not _inside(path, shown) or _inside(workdir, [path]):
            continue  # not in the view anyway; never cover the kernel's own folder
        if os.path.isdir(path):
            args += ["--perms", "0000", "--tmpfs", path, "--remount-ro", path]
        elif os.path.exists(path):
            args += ["--ro-bind", "/dev/null", path]
    args += ["--chdir", workdir]
    return args
