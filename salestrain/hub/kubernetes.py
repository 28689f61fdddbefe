"""A room's hub beyond one machine: each learner's server in a pod of its own (KubeSpawner).

A laptop serves a small room; 200 learners need about 38 GiB of memory (190 MiB each,
measured: /work/shared/JUPYTER-NOTES.md, "JupyterHub for a room"), which is a cluster.
Zero to JupyterHub (the JupyterHub Helm chart) runs the hub, the proxy and the culler
there; ``salestrain/data/hub/kubernetes/values.yaml`` calls the two functions below from
its ``hub.extraConfig``:

- :func:`configure_kubernetes`: the learners' pods. They run the learner image built by
  ``salestrain/data/hub/kubernetes/Dockerfile`` (the package, the learner site, the
  offline Voila template; no exercise sources, so no answer keys) in learner mode, as on
  a laptop hub (:mod:`.spawner`), with real cgroup limits instead of RLIMIT_DATA.
- :func:`configure_classroom`: the classroom service inside the hub pod, its settings file
  (database URL and trainer key from a Kubernetes Secret) and the roles that let learners'
  servers call it.

Both merge into what the chart already configured (volumes, environment, services,
roles) rather than replacing it, so chart options such as ``singleuser.extraEnv`` and
``cull`` keep working.
"""

from __future__ import annotations

import os
from dataclasses import fields
from pathlib import Path
from typing import Any

from jupyterhub.traitlets import ByteSpecification
from traitlets import TraitError
from traitlets.config.loader import LazyConfigValue

from salestrain.base.errors import SalestrainError
from salestrain.base.i18n import LANGUAGES, t
from salestrain.hub.settings import SERVICE_NAME, HubSettings
from salestrain.hub.spawner import LANDING, MATHS_THREADS, SERVICE_PREFIX, VOILA_ARGS

SPAWNER = "kubespawner.KubeSpawner"
CLASS_CODE_LOGIN = "salestrain.hub.auth.ClassCodeAuthenticator"
LOGIN_TEMPLATES = str(Path(__file__).resolve().parent.parent / "templates" / "hub")
# Log-ins that would let anybody in here: the chart's default ("dummy": any name, any
# password), and the class code log-in without a class code.
OPEN_DOORS = {"", "dummy", "jupyterhub.auth.DummyAuthenticator", CLASS_CODE_LOGIN}
# The Jupyter Docker Stacks' user (uid 1000, group "users" 100) and home: the learner
# image is built on quay.io/jupyter/base-notebook, whose files belong to them.
UID, FS_GID = 1000, 100
HOME = "/home/jovyan"
# Where the Dockerfile builds the learner site (its pages name this folder, so it is
# the same in the build stage and the image).
SITE = "/opt/salestrain/site"
# The hub image's copy of the project (exercises to grade, lessons to rebuild the site
# from) and the classroom's settings on the hub's own volume (where hub.sqlite lives).
PROJECT = "/opt/salestrain/project"
HUB_STATE = "/srv/jupyterhub/salestrain"
FOLDER_ENV = "SALESTRAIN_HUB_FOLDER"
SERVICE_PORT = next(f.default for f in fields(HubSettings) if f.name == "service_port")
# What the cluster's scheduler reserves per learner: the measured 190 MiB (an idle server
# 136 MiB, one lesson page's kernel 51 MiB, a share of hub and proxy) and a twentieth of
# a CPU. Learners sit idle most of the time; the limits cap the bursts.
MEM_GUARANTEE = "190M"  # JupyterHub's M is MiB
CPU_GUARANTEE = 0.05


def classroom_url(port: int = SERVICE_PORT) -> str:
    """The classroom service as a learner's pod reaches it: the chart's ``hub`` Service,
    on the extra port the values file opens (the proxy's port only redirects to HTTPS)."""
    return f"http://hub:{port}"


def configure_kubernetes(c: Any, *, image: str, cpu_limit: float = 1.0, mem_limit: str = "1G",
                         storage: str = "1Gi", lang: str = "en",
                         cpu_guarantee: float = CPU_GUARANTEE, mem_guarantee: str = MEM_GUARANTEE,
                         classroom: str | None = None) -> None:
    """Learners' servers as Kubernetes pods of ``image``, in learner mode, ``lang`` first.

    ``image`` carries a version tag (``registry.example.com/salestrain-singleuser:0.1.0``):
    with ``latest``, learners who start after an upgrade would get another image than
    their neighbours. ``mem_limit`` uses JupyterHub's units (``1G`` is 1 GiB), ``storage``
    Kubernetes' (``1Gi``).
    """
    _check_image(image)
    if lang not in LANGUAGES:
        raise SalestrainError(t("hub_cluster.kubernetes.lang", language=lang,
                                languages=", ".join(LANGUAGES)))
    if not cpu_limit > 0 or not 0 <= cpu_guarantee <= cpu_limit:
        raise SalestrainError(t("hub_cluster.kubernetes.cpu", limit=cpu_limit,
                                guarantee=cpu_guarantee))
    if _bytes(mem_guarantee) > _bytes(mem_limit):
        raise SalestrainError(t("hub_cluster.kubernetes.memory", limit=mem_limit,
                                guarantee=mem_guarantee))

    c.JupyterHub.spawner_class = SPAWNER
    k = c.KubeSpawner
    k.image = image
    # Limits are what one learner's runaway calculation may take; guarantees are what the
    # scheduler reserves, so 200 pods fit on the nodes they were sized for (README.md).
    k.cpu_limit, k.cpu_guarantee = float(cpu_limit), float(cpu_guarantee)
    k.mem_limit, k.mem_guarantee = mem_limit, mem_guarantee

    # Learner mode, as on a laptop hub: Voila's tree of lessons, outputs only, our offline
    # template, no terminals. The command is explicit because KubeSpawner drops the
    # arguments when it uses the image's own command.
    k.cmd = ["jupyterhub-singleuser"]
    k.args = list(VOILA_ARGS)
    k.notebook_dir = SITE
    k.default_url = LANDING.format(lang=lang)
    # A learner's home is writable: their own Jupyter config there must not turn
    # terminals or code view back on.
    k.disable_user_config = True

    # The home folder: one volume claim per learner (progress, answers), kept across
    # restarts and culling. The image's user and fsGroup (what Zero to JupyterHub sets)
    # make Kubernetes give the new volume to the learner: no init container chowns it.
    k.uid, k.fs_gid = UID, FS_GID
    k.storage_pvc_ensure = True
    k.storage_capacity = storage
    volumes, mounts = _dict_trait(c, "volumes"), _dict_trait(c, "volume_mounts")
    if not any(mount.get("mountPath") == HOME for mount in mounts.values()):
        # The chart's singleuser.storage.type=dynamic mounts the same claim itself.
        volumes["home"] = {"name": "home", "persistentVolumeClaim": {"claimName": "{pvc_name}"}}
        mounts["home"] = {"name": "home", "mountPath": HOME}
    k.volumes, k.volume_mounts = volumes, mounts

    environment = _dict_trait(c, "environment")
    environment.update({
        "SALESTRAIN_LANG": lang,
        "SALESTRAIN_CLASSROOM": (classroom or classroom_url()) + SERVICE_PREFIX,
        "SALESTRAIN_DATA_DIR": f"{HOME}/.salestrain",
        # The maths libraries would start a thread per core of the node, not of the limit.
        **{name: str(max(1, int(cpu_limit))) for name in MATHS_THREADS},
    })
    k.environment = environment

    # A learner's server calls the classroom service with its own token: the token must
    # ask for the service, and the user role must hold it (measured: without both the
    # service answers 403, and servers started earlier keep their old token).
    service_scope = f"access:services!service={SERVICE_NAME}"
    k.server_token_scopes = ["users:activity!user", "access:servers!server", service_scope]
    _grant(c, "user", ["self", service_scope])


def configure_classroom(c: Any, *, db_url: str, trainer_token: str, class_code: str | None = None,
                        lang: str = "en", folder: str | None = None, project: str = PROJECT,
                        port: int = SERVICE_PORT) -> HubSettings:
    """The classroom service in the hub pod: its settings file, its place among the hub's
    services, and its roles. With ``class_code``, learners log in as on a laptop hub
    (class code, name, PIN); without one, call :func:`salestrain.hub.lti.configure_lti13`
    first. With neither it refuses: the chart's default log-in would let anybody in.

    ``db_url`` is the PostgreSQL database of the room (store and gradebook): on a cluster
    the hub pod may move between nodes, and a SQLite file on its volume would go with it
    only as long as one pod at a time writes it.
    """
    if not db_url.strip():
        raise SalestrainError(t("hub_cluster.classroom.no_db_url"))
    if not trainer_token.strip():
        raise SalestrainError(t("hub_cluster.classroom.no_trainer_token"))
    class_code = (class_code or "").strip()
    if not class_code and _authenticator(c) in OPEN_DOORS:
        raise SalestrainError(t("hub_cluster.classroom.no_login"))
    folder = folder or os.environ.get(FOLDER_ENV) or HUB_STATE
    settings = HubSettings(folder=folder, project=project, class_code=class_code, db_url=db_url,
                           service_port=port, service_ip="0.0.0.0", default_lang=lang,
                           trainer_token=trainer_token)
    settings.save()  # mode 0600: it holds the database password

    # The values file declares the service (hub.services.classroom), so the chart gives
    # it an API token; we add what it needs to find its settings.
    services = list(c.JupyterHub.services) if "services" in c.JupyterHub else []
    service = next((s for s in services if s.get("name") == SERVICE_NAME), None)
    if service is None:
        service = {"name": SERVICE_NAME, "command": ["python3", "-m", "salestrain.hub.service"]}
        services.append(service)
    service.setdefault("url", classroom_url(port))
    service.setdefault("oauth_no_confirm", True)
    service.setdefault("display", False)
    service["environment"] = {**service.get("environment", {}), FOLDER_ENV: folder}
    c.JupyterHub.services = services
    _grant(c, SERVICE_NAME, ["list:users", "read:users", "read:servers"],
           services=[SERVICE_NAME])

    if class_code:
        c.JupyterHub.authenticator_class = CLASS_CODE_LOGIN
        # Our log-in page (class code, name, PIN, language), before the chart's templates.
        paths = list(c.JupyterHub.template_paths) if "template_paths" in c.JupyterHub else []
        c.JupyterHub.template_paths = [LOGIN_TEMPLATES, *(x for x in paths if x != LOGIN_TEMPLATES)]
        c.ClassCodeAuthenticator.class_code = class_code
        c.ClassCodeAuthenticator.store_url = db_url
        c.ClassCodeAuthenticator.default_lang = lang
        c.Authenticator.allow_all = True  # the class code is the door
    return settings


# -- helpers ----------------------------------------------------------------------------
def _check_image(image: str) -> None:
    if not image.strip():
        raise SalestrainError(t("hub_cluster.kubernetes.no_image"))
    if "@" in image:  # pinned by digest
        return
    name, _, tag = image.rpartition(":")
    if not name or "/" in tag or tag in ("", "latest"):
        base = name if name and "/" not in tag else image
        raise SalestrainError(t("hub_cluster.kubernetes.untagged", image=image, base=base))


def _authenticator(c: Any) -> str:
    chosen = c.JupyterHub.authenticator_class if "authenticator_class" in c.JupyterHub else ""
    return chosen if isinstance(chosen, str) else f"{chosen.__module__}.{chosen.__qualname__}"


def _bytes(value: str | int) -> int:
    try:
        return ByteSpecification().validate(None, value)
    except TraitError:
        raise SalestrainError(t("hub_cluster.kubernetes.memory_unit", value=value)) from None


def _dict_trait(c: Any, name: str) -> dict[str, Any]:
    """A copy of a KubeSpawner dict trait the chart may have set (lists become dicts keyed
    by name, as KubeSpawner itself accepts both)."""
    if name not in c.KubeSpawner:
        return {}
    value = c.KubeSpawner[name]
    if isinstance(value, LazyConfigValue):  # c.KubeSpawner.environment.update(...) before us
        value = value.get_value({})
    if isinstance(value, list):
        return {str(item.get("name", index)): dict(item) for index, item in enumerate(value)}
    return {key: dict(item) if isinstance(item, dict) else item
            for key, item in dict(value).items()}


def _grant(c: Any, role: str, scopes: list[str], **members: list[str]) -> None:
    """Add ``scopes`` (and members) to the role called ``role``, creating it if needed."""
    roles = list(c.JupyterHub.load_roles) if "load_roles" in c.JupyterHub else []
    found = next((r for r in roles if r.get("name") == role), None)
    if found is None:
        found = {"name": role, "scopes": []}
        roles.append(found)
    for key, wanted in {"scopes": scopes, **members}.items():
        have = list(found.get(key, []))
        found[key] = [*have, *(item for item in wanted if item not in have)]
    c.JupyterHub.load_roles = roles
