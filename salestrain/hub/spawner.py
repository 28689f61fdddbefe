"""Each learner's Jupyter server, in a bubblewrap sandbox that sees only their own folder.

Why a sandbox and not one system account per learner: the trainer's laptop is rarely
theirs to add 40 accounts to, and the project's Python often lives in a folder other
accounts cannot enter (a venv under /root). bubblewrap needs no root and gives each
server a private view of the disk: the system's programs, the Python environment and the
``salestrain`` package alone (not the project around it, which holds the exercises'
solutions and hidden tests), the learner site read-only, and the learner's own folder
writable. Other learners' folders, the gradebook, the classroom store and the trainer's
scenario files do not exist inside it. The same helper builds the grader's sandbox
(:func:`salestrain.grading.run.view.bwrap_arguments`).

Limits: every process of the server gets a data-size limit (RLIMIT_DATA, which counts
the heap and private memory maps) of ``mem_limit_mb``, a lower CPU priority and one
thread for the maths libraries; the hub's ``cpu-limit`` service (:mod:`.cpu_limit`) holds
each sandbox to its share of the CPU, so one learner's runaway calculation cannot starve
the room. On Kubernetes the values file sets cgroup limits instead.

The server is not tied to the hub's life (no ``--die-with-parent``): a hub restart finds
it running and keeps it. It is stopped through its process group, which holds bubblewrap
and everything inside.
"""

from __future__ import annotations

import os
import resource
import sys
import sysconfig
from pathlib import Path
from typing import Any

from jupyterhub.spawner import SimpleLocalProcessSpawner
from traitlets import Integer, Unicode

SERVICE_PREFIX = "/services/classroom"
LANDING = "/voila/render/{lang}/index.ipynb"
# Learner mode as in `salestrain learn`: outputs only, our offline template (no CDN), and
# kernels of closed pages culled. No terminals: a learner never needs a shell.
VOILA_ARGS = ("--VoilaConfiguration.strip_sources=True", "--VoilaConfiguration.template=salestrain",
              "--ServerApp.terminals_enabled=False",
              "--MappingKernelManager.cull_idle_timeout=900",
              "--MappingKernelManager.cull_interval=60")
MATHS_THREADS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def package_folder() -> str:
    import salestrain

    return str(Path(salestrain.__file__).resolve().parent)


def python_folders(python: str) -> list[str]:
    """The folders an interpreter needs: its environment, the base install and site-packages."""
    folders = {sys.prefix, sys.base_prefix, sys.exec_prefix, sysconfig.get_paths()["purelib"],
               str(Path(python).resolve().parent.parent)}
    return sorted(folders)


def voila_data_folders() -> list[str]:
    """Where Voila finds our offline template (salestrain/data/jupyter)."""
    from salestrain.base.resources import data_path

    return [str(data_path("jupyter"))]


class SandboxedSpawner(SimpleLocalProcessSpawner):
    hub_folder = Unicode(config=True, help="The hub's folder (settings.json).")
    bwrap = Unicode("bwrap", config=True)
    python = Unicode(sys.executable, config=True)
    mem_limit_mb = Integer(1024, config=True)
    nice = Integer(5, config=True)

    def _settings(self) -> Any:
        from salestrain.hub.settings import HubSettings

        return HubSettings.load(self.hub_folder)

    def _learner(self) -> Any:
        from salestrain.io.classroom import open_classroom, roster

        st = open_classroom(self._settings().db_url)
        try:
            return roster(st).get(self.user.name)
        finally:
            st.dispose()

    @property
    def sandbox_home(self) -> str:
        return str(self._settings().home_of(self.user.name))

    def make_preexec_fn(self, name: str) -> Any:
        home, limit, nice = self.sandbox_home, self.mem_limit_mb * 1024 * 1024, self.nice

        def preexec() -> None:
            os.makedirs(home, 0o700, exist_ok=True)
            os.chdir(home)
            resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))
            os.nice(nice)

        return preexec

    def user_env(self, env: dict[str, str]) -> dict[str, str]:
        env["USER"] = "learner"
        env["HOME"] = self.sandbox_home
        env["SHELL"] = "/bin/sh"
        return env

    def get_env(self) -> dict[str, str]:
        env = super().get_env()
        settings = self._settings()
        learner = self._learner()
        lang = learner.lang if learner else settings.default_lang
        env["JUPYTERHUB_DEFAULT_URL"] = self.default_url = LANDING.format(lang=lang)
        env["JUPYTERHUB_ROOT_DIR"] = self.notebook_dir = str(settings.site)
        env.update({
            "SALESTRAIN_LANG": lang,
            "SALESTRAIN_LEARNER": learner.display if learner else self.user.name,
            "SALESTRAIN_DATA_DIR": str(Path(self.sandbox_home) / ".salestrain"),
            "SALESTRAIN_CLASSROOM": settings.service_url() + SERVICE_PREFIX,
            "MPLCONFIGDIR": str(Path(self.sandbox_home) / ".matplotlib"),
            **{name: "1" for name in MATHS_THREADS},
        })
        env["JUPYTER_PATH"] = os.pathsep.join(voila_data_folders())
        return env

    def get_args(self) -> list[str]:
        return [*super().get_args(), *VOILA_ARGS]

    async def start(self) -> Any:
        from salestrain.grading.run.view import bwrap_arguments

        settings = self._settings()
        home = self.sandbox_home
        Path(home).mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(home, 0o700)  # never readable by another account either
        expose = [*python_folders(self.python), package_folder(), str(settings.public),
                  *voila_data_folders()]
        args = bwrap_arguments(expose, home, hide=[settings.project, str(settings.private)],
                               network=True, die_with_parent=False)
        # Inside, the learner is an ordinary user (uid 1000), not root: Jupyter refuses
        # to run as root, and nothing needs it.
        self.cmd = [self.bwrap, "--uid", "1000", "--gid", "1000", *args, "--",
                    self.python, "-m", "jupyterhub.singleuser"]
        return await super().start()

    async def _signal(self, sig: int) -> bool:
        # The whole process group: bubblewrap, its init and the server inside.
        try:
            if sig == 0:
                os.kill(self.pid, 0)
            else:
                os.killpg(self.pid, sig)
        except ProcessLookupError:
            return False
        return True

