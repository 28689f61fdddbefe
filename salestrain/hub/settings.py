"""What a trainer chooses for a room's hub, kept as one JSON file in the hub's folder.

The hub's own configuration file (``jupyterhub_config.py``), the classroom service and
the command line all read the same settings, so a hub restart comes back as it was.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from salestrain.base.files import write_atomic

SETTINGS_FILE = "settings.json"
SERVICE_NAME = "classroom"


@dataclass
class HubSettings:
    folder: str                    # the hub's private folder (0700): state, homes, secrets
    project: str                   # the salestrain project (notebooks/, exercises/, cases/)
    class_code: str                # what learners type with their name to log in
    ip: str = "127.0.0.1"
    port: int = 8000
    db_url: str = ""               # the classroom store and gradebook (SQLite file or PostgreSQL)
    service_port: int = 10101
    # Where the classroom service listens: loopback on one machine (learners' sandboxes share
    # its network); every interface in a cluster, where pods and the proxy reach it by name.
    service_ip: str = "127.0.0.1"
    hub_port: int = 8081           # the hub's internal API
    proxy_api_port: int = 8001
    certfile: str = ""             # HTTPS with the trainer's certificate
    keyfile: str = ""
    mem_limit_mb: int = 1024       # per learner process (RLIMIT_DATA)
    cpu_cores: float = 1.0         # per learner sandbox, kept by salestrain.hub.cpu_limit
    idle_minutes: int = 60         # the idle culler stops servers idle this long
    max_learners: int = 200
    default_lang: str = "en"
    bwrap: str = "bwrap"
    python: str = ""               # the interpreter learner servers run (this one by default)
    trainer_token: str = ""        # the trainer's key to the classroom service (CLI, projector)
    proxy_token: str = ""          # fixed, so a hub restart keeps the running proxy
    cookie_secret_file: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    # -- places inside the hub's folder ---------------------------------------------
    @property
    def root(self) -> Path:
        return Path(self.folder)

    @property
    def homes(self) -> Path:
        return self.root / "homes"

    @property
    def public(self) -> Path:
        """What every sandbox sees read-only. The site is rebuilt inside it (on a release),
        so sandboxes bind this folder, not the site itself, and see the new site."""
        return self.root / "public"

    @property
    def site(self) -> Path:
        """The learner site (lessons, released exercises), in every language."""
        return self.public / "site"

    @property
    def private(self) -> Path:
        """Trainer-only: secrets, the hub's database, logs. Never inside a sandbox."""
        return self.root / "private"

    def home_of(self, username: str) -> Path:
        return self.homes / username

    def service_url(self) -> str:
        return f"http://127.0.0.1:{self.service_port}"

    def public_url(self) -> str:
        """The address learners type: on all interfaces, this machine's address on the room's
        network (the one its default route uses), not 127.0.0.1, which only the trainer reaches."""
        scheme = "https" if self.certfile else "http"
        host = lan_address() if self.ip in ("0.0.0.0", "::", "") else self.ip
        return f"{scheme}://{host}:{self.port}"

    # -- persistence -----------------------------------------------------------------
    def save(self) -> Path:
        path = self.root / SETTINGS_FILE
        write_atomic(path, json.dumps(asdict(self), indent=1, ensure_ascii=False), force=True,
                     make_parents=True, mode=0o600)
        return path

    @classmethod
    def load(cls, folder: str | Path) -> HubSettings:
        data = json.loads((Path(folder) / SETTINGS_FILE).read_text(encoding="utf-8"))
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})


def lan_address() -> str:
    import socket

    # A UDP "connection" sends nothing; it only asks the kernel which address it would use.
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("10.255.255.255", 1))
            return str(probe.getsockname()[0])
    except OSError:
        return "127.0.0.1"


def settings_from_env() -> HubSettings:
    """The settings of the hub this process belongs to (its folder is in the environment)."""
    return HubSettings.load(os.environ["SALESTRAIN_HUB_FOLDER"])
