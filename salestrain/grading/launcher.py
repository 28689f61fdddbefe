"""Start one grading kernel: limits, an unprivileged user, a scrubbed environment.

Run by the kernel manager as ``python launcher.py CONFIG_JSON -f CONNECTION_FILE ...``
(as a file, not ``-m``, so nothing of salestrain is imported before the exec). It
applies the limits with ``resource.setrlimit`` (they survive ``exec`` and are
inherited by every child the learner forks), drops to the configured user when
started as root, changes into the submission's own folder and replaces itself with
``ipykernel`` under an environment built from nothing, so no variable of the
grader's (database URLs, tokens) reaches learner code.
"""

import json
import os
import resource
import sys


def _limit(which: int, value: int) -> None:
    soft, hard = resource.getrlimit(which)
    if hard != resource.RLIM_INFINITY:
        value = min(value, hard)
    resource.setrlimit(which, (value, value))


def main() -> None:
    config = json.loads(sys.argv[1])
    rest = sys.argv[2:]
    connection_file = rest[rest.index("-f") + 1]
    os.umask(0o077)
    _limit(resource.RLIMIT_AS, int(config["memory_bytes"]))
    _limit(resource.RLIMIT_CORE, 0)
    _limit(resource.RLIMIT_FSIZE, int(config["file_bytes"]))
    _limit(resource.RLIMIT_CPU, int(config["cpu_seconds"]))
    uid, gid = config.get("uid"), config.get("gid")
    if uid is not None and os.geteuid() == 0:
        os.chown(connection_file, uid, gid)
        os.setgroups([])
        os.setgid(gid)
        os.setuid(uid)
        # Per-user process cap: a fork bomb stops here (threads count too, so be generous).
        _limit(resource.RLIMIT_NPROC, int(config["max_processes"]))
    os.chdir(config["cwd"])
    python = config["python"]
    os.execve(python, [python, "-m", "ipykernel_launcher", *rest], config["env"])


if __name__ == "__main__":
    main()
