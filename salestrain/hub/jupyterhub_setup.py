"""The JupyterHub configuration of a room, from the hub's settings.

``salestrain hub`` writes a two-line ``jupyterhub_config.py`` that calls :func:`configure`
with the hub's folder, so JupyterHub (which execs its config file) and our own code read
the same settings, and a restarted hub is configured exactly as before.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Any

from salestrain.hub.settings import SERVICE_NAME, HubSettings

PROXY_PROGRAM = "configurable-http-proxy"


def proxy_command() -> str | None:
    """configurable-http-proxy, installed by the set-up into the environment (npm), else on PATH."""
    local = Path(sys.prefix) / "node_modules" / ".bin" / PROXY_PROGRAM
    return str(local) if local.exists() else shutil.which(PROXY_PROGRAM)


def configure(c: Any, folder: str | Path) -> HubSettings:
    settings = HubSettings.load(folder)
    private = settings.private
    scheme = "https" if settings.certfile else "http"
    c.JupyterHub.bind_url = f"{scheme}://{settings.ip}:{settings.port}"
    if settings.certfile:
        c.JupyterHub.ssl_cert = settings.certfile
        c.JupyterHub.ssl_key = settings.keyfile
    c.JupyterHub.hub_ip = "127.0.0.1"
    c.JupyterHub.hub_port = settings.hub_port
    c.JupyterHub.db_url = f"sqlite:///{private / 'jupyterhub.sqlite'}"
    c.JupyterHub.cookie_secret_file = str(private / "jupyterhub_cookie_secret")
    c.JupyterHub.pid_file = str(private / "jupyterhub.pid")
    c.JupyterHub.template_paths = [str(Path(__file__).resolve().parent.parent / "templates" / "hub")]
    c.JupyterHub.shutdown_on_logout = False
    # A restarted hub keeps the running learner servers and the proxy with its routes
    # (the proxy's token is fixed in the settings, so the new hub can talk to it).
    c.JupyterHub.cleanup_servers = False
    c.JupyterHub.cleanup_proxy = False
    command = proxy_command()
    if command:
        c.ConfigurableHTTPProxy.command = [command]
    c.ConfigurableHTTPProxy.auth_token = settings.proxy_token
    c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{settings.proxy_api_port}"
    c.ConfigurableHTTPProxy.pid_file = str(private / "proxy.pid")
    c.ConfigurableHTTPProxy.log_level = "warn"

    c.JupyterHub.authenticator_class = "salestrain.hub.auth.ClassCodeAuthenticator"
    c.ClassCodeAuthenticator.class_code = settings.class_code
    c.ClassCodeAuthenticator.store_url = settings.db_url
    c.ClassCodeAuthenticator.default_lang = settings.default_lang
    c.Authenticator.allow_all = True

    c.JupyterHub.spawner_class = "salestrain.hub.spawner.SandboxedSpawner"
    c.SandboxedSpawner.hub_folder = str(settings.root)
    c.SandboxedSpawner.bwrap = settings.bwrap
    c.SandboxedSpawner.python = settings.python or sys.executable
    c.SandboxedSpawner.mem_limit_mb = settings.mem_limit_mb
    c.Spawner.start_timeout = 120
    c.Spawner.http_timeout = 120
    # Learners' servers may call the classroom service with their own token.
    c.Spawner.server_token_scopes = ["users:activity!user", "access:servers!server",
                                     "access:services"]
    c.JupyterHub.concurrent_spawn_limit = 0  # a room logs in at once; the hub queues nothing

    python = sys.executable
    env = {"SALESTRAIN_HUB_FOLDER": str(settings.root)}
    c.JupyterHub.services = [
        {"name": SERVICE_NAME, "url": settings.service_url(),
         "command": [python, "-m", "salestrain.hub.service"], "environment": env,
         "oauth_no_confirm": True, "display": False},
        {"name": "cpu-limit",
         "command": [python, "-m", "salestrain.hub.cpu_limit", f"--homes={settings.homes}",
                     f"--cores={settings.cpu_cores}"]},
        {"name": "idle-culler",
         "command": [python, "-m", "jupyterhub_idle_culler",
                     f"--timeout={settings.idle_minutes * 60}", "--cull-every=60"]},
    ]
    c.JupyterHub.load_roles = [
        {"name": "user", "scopes": ["self", "access:services"]},
        {"name": "cpu-limit",
         "command": [python, "-m", "salestrain.hub.cpu_limit", f"--homes={settings.homes}",
                     f"--cores={settings.cpu_cores}"]},
        {"name": "idle-culler", "services": ["idle-culler"],
         "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"]},
        {"name": "classroom", "services": [SERVICE_NAME],
         "scopes": ["list:users", "read:users", "read:servers"]},
    ]
    return settings
