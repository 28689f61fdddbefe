"""Start one grading kernel: limits, a private view of the disk, an unprivileged user,
a scrubbed environment.

Run by the kernel manager as ``python launcher.py CONFIG_JSON -f CONNECTION_FILE ...``
(as a file, not ``-m``: nothing of salestrain is imported before the exec). Steps:

1. ``resource.setrlimit``: address space, file size, CPU time, no core dumps (limits
   survive ``exec`` and are inherited by every child the learner forks).
2. When root and ``namespace`` is set: a private mount namespace in which the exercise
   sources and their git objects are covered by empty read-only tmpfs mounts, a fresh
   ``/proc`` with ``hidepid=2`` hides the grader's command line, and folders the
   interpreter needs but the sandbox user could not enter (a pyenv under ``/root``)
   are re-exposed on a tmpfs that hides everything else there.
   When root without ``namespace``, step 2 is skipped (the grader then checks that
   the sources are unreadable by other users).
3. When root: drop to the kernel's own unprivileged user id (drawn at random by the
   grader, no account behind it) with no supplementary groups.
4. ``chdir`` into the submission's own folder and ``exec`` ipykernel with an
   environment built from nothing, so no variable of the grader's reaches learner code.
   When the config holds a ``bwrap`` command line (view.py), ipykernel is started
   through bubblewrap: new user, PID, mount, network and IPC namespaces and a minimal
   read-only view of the disk, without root (as root, after step 3, so the kernel also
   keeps its own user id).

``python launcher.py CONFIG_JSON --probe PATH`` does the same steps but, instead of a
kernel, runs the interpreter in the same sandbox to open PATH, and exits 0 if it could,
non-zero if not: the grader uses it to prove the sources are out of reach.
"""

import ctypes
import json
import os
import resource
import signal
import stat
import sys

CLONE_NEWNS = 0x00020000
CLONE_NEWNET = 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_BIND, MS_MOVE, MS_REC, MS_PRIVATE = 4096, 8192, 16384, 1 << 18
PR_SET_PDEATHSIG = 1


def _limit(which, value):
    soft, hard = resource.getrlimit(which)
    if hard != resource.RLIM_INFINITY:
        value = min(value, hard)
    resource.setrlimit(which, (value, value))


_libc = None


def _enc(text):
    return None if text is None else text.encode()


def _mount(source, target, fstype, flags, data=None):
    if _libc.mount(_enc(source), _enc(target), _enc(fstype), flags, _enc(data)) != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"mount {target}: {os.strerror(err)}")


def _traversable(path, uid, gid):
    st = os.stat(path)
    if st.st_uid == uid:
        return bool(st.st_mode & stat.S_IXUSR)
    if st.st_gid == gid:
        return bool(st.st_mode & stat.S_IXGRP)
    return bool(st.st_mode & stat.S_IXOTH)


def _blocking_ancestor(path, uid, gid):
    """The first folder on the way to ``path`` the sandbox user cannot enter."""
    parts = os.path.abspath(path).split(os.sep)[1:]
    current = "/"
    for part in parts:
        if not _traversable(current, uid, gid):
            return current
        current = os.path.join(current, part)
    return None


def _private_view(config):
    global _libc
    _libc = ctypes.CDLL(None, use_errno=True)
    # A network namespace of its own too: no network at all (the kernel talks to the
    # grader over unix sockets in its folder), so nothing can be sent out or fetched.
    if _libc.unshare(CLONE_NEWNS | CLONE_NEWNET) != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"unshare: {os.strerror(err)}")
    _mount(None, "/", None, MS_REC | MS_PRIVATE)
    previous = os.umask(0o022)  # folders made for re-exposed paths must be enterable
    uid, gid = config["uid"], config["gid"]
    # Re-expose what the interpreter needs, hiding the rest of the blocking folder.
    needed = sorted({os.path.realpath(p) for p in config["expose"]})
    needed = [p for p in needed if not any(p != q and p.startswith(q + os.sep) for q in needed)]
    by_ancestor = {}
    for path in needed:
        ancestor = _blocking_ancestor(path, uid, gid)
        if ancestor is not None and ancestor != "/":
            by_ancestor.setdefault(ancestor, []).append(path)
    for n, (ancestor, paths) in enumerate(sorted(by_ancestor.items())):
        staged = []
        for i, path in enumerate(paths):
            stage = os.path.join(config["cwd"], f".stage-{n}-{i}")
            os.mkdir(stage, 0o700)
            _mount(path, stage, None, MS_BIND | MS_REC)
            staged.append((stage, path))
        _mount("tmpfs", ancestor, "tmpfs", MS_NOSUID | MS_NODEV, "mode=755,size=64k")
        for stage, path in staged:
            os.makedirs(path, mode=0o755, exist_ok=True)
            _mount(stage, path, None, MS_MOVE)
            os.rmdir(stage)
    for path in config["hide"]:
        if os.path.isdir(path):
            _mount("tmpfs", path, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC,
                   "mode=000,size=4k")
        elif os.path.exists(path):
            _mount("/dev/null", path, None, MS_BIND)
    os.umask(previous)
    try:
        _mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, "hidepid=2")
    except OSError:
        pass  # the kernel still runs; the grader's command line stays visible (documented)


def setup(config):
    os.umask(0o077)
    _limit(resource.RLIMIT_AS, int(config["memory_bytes"]))
    _limit(resource.RLIMIT_CORE, 0)
    _limit(resource.RLIMIT_FSIZE, int(config["file_bytes"]))
    _limit(resource.RLIMIT_CPU, int(config["cpu_seconds"]))
    uid, gid = config.get("uid"), config.get("gid")
    root = os.geteuid() == 0
    if root and config.get("namespace"):
        _private_view(config)
    if uid is not None and root:
        if config.get("connection_file"):
            os.chown(config["connection_file"], uid, gid)
        os.setgroups([])
        os.setgid(gid)
        os.setuid(uid)
        # Per-user process cap: a fork bomb stops here (threads count too, so be generous).
        _limit(resource.RLIMIT_NPROC, int(config["max_processes"]))
    os.chdir(config["cwd"])
    # Die with the grader, even a grader killed with kill -9 (set after the user change,
    # which clears it); if the grader is already gone, stop here.
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != config.get("parent", os.getppid()):
        sys.exit(1)


PROBE = "import sys\ntry:\n    open(sys.argv[1], 'rb').read(1)\nexcept OSError:\n    sys.exit(3)\n"


def _exec(config, command, env):
    """Replace this process by ``command``, inside bubblewrap when the config says so."""
    wrapper = config.get("bwrap")
    if wrapper:
        command = [*wrapper, "--", *command]
        # Inside the PID namespace the kernel's parent is bubblewrap's init (pid 1), and
        # the grader's pid means nothing: ipykernel would take either for a dead parent.
        # --die-with-parent and this launcher's PDEATHSIG tie it to the grader instead.
        env = {k: v for k, v in env.items() if k != "JPY_PARENT_PID"}
    os.execve(command[0], command, env)


def main():
    config = json.loads(sys.argv[1])
    rest = sys.argv[2:]
    python = config.get("python") or sys.executable
    if rest[:1] == ["--probe"]:
        setup(config)
        if not config.get("bwrap"):
            try:
                with open(rest[1], "rb") as fh:
                    fh.read(1)
            except OSError:
                sys.exit(3)
            sys.exit(0)
        _exec(config, [python, "-I", "-c", PROBE, rest[1]], config.get("env") or {"LANG": "C.UTF-8"})
    config["connection_file"] = rest[rest.index("-f") + 1]
    setup(config)
    _exec(config, [python, "-m", "ipykernel_launcher", *rest], config["env"])


if __name__ == "__main__":
    main()
