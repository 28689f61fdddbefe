"""A room on Kubernetes, checked offline: the pods KubeSpawner would create from our
configuration and from the values file, the classroom service's settings, the images.

KubeSpawner needs a kube config even to load; a fake one (no cluster behind it) and
``_mock=True`` let it build a learner's pod manifest here without a cluster
(/work/shared/JUPYTER-NOTES.md, "JupyterHub for a room").
"""

from __future__ import annotations

import asyncio
import re
import stat
from pathlib import Path
from typing import Any

import pytest
import yaml
from kubernetes_asyncio.config import kube_config
from kubespawner import KubeSpawner
from traitlets.config import Config

from salestrain.base.errors import SalestrainError
from salestrain.hub.auth import ClassCodeAuthenticator
from salestrain.hub.kubernetes import (
    FOLDER_ENV,
    HOME,
    PROJECT,
    SITE,
    configure_classroom,
    configure_kubernetes,
)
from salestrain.hub.settings import SERVICE_NAME, HubSettings
from salestrain.hub.spawner import VOILA_ARGS
from tests.language import english_phrases
from tests.test_docs_zh import FENCE, headings

ROOT = Path(__file__).resolve().parents[2]
FOLDER = ROOT / "salestrain" / "data" / "hub" / "kubernetes"
IMAGE = "registry.example.com/salestrain-singleuser:0.1.0"
GiB, MiB = 1024**3, 1024**2  # JupyterHub's G and M

FAKE_KUBE_CONFIG = """\
apiVersion: v1
kind: Config
clusters: [{name: fake, cluster: {server: "https://127.0.0.1:6443"}}]
users: [{name: fake, user: {token: fake}}]
contexts: [{name: fake, context: {cluster: fake, user: fake}}]
current-context: fake
"""


@pytest.fixture(autouse=True)
def fake_cluster(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "kubeconfig"
    path.write_text(FAKE_KUBE_CONFIG, encoding="utf-8")
    # The client reads $KUBECONFIG when it is imported, before any fixture: point its
    # default at our file instead.
    monkeypatch.setattr(kube_config, "KUBE_CONFIG_DEFAULT_LOCATION", str(path))
    monkeypatch.delenv("KUBERNETES_SERVICE_HOST", raising=False)  # never "in a cluster"


def build(config: Config) -> tuple[KubeSpawner, dict[str, Any]]:
    """A real KubeSpawner from ``config`` and the pod it would send the cluster, as JSON."""

    async def run() -> tuple[KubeSpawner, dict[str, Any]]:
        spawner = KubeSpawner(config=config, _mock=True)  # its clients need a running loop
        pod = await spawner.get_pod_manifest()
        return spawner, spawner.api.api_client.sanitize_for_serialization(pod)

    return asyncio.run(run())


def container_of(pod: dict[str, Any]) -> dict[str, Any]:
    (container,) = pod["spec"]["containers"]
    return container


def env_of(pod: dict[str, Any]) -> dict[str, str]:
    return {item["name"]: item["value"] for item in container_of(pod)["env"]}


def home_claims(pod: dict[str, Any]) -> list[str]:
    """The claims mounted at the home folder."""
    names = {m["name"] for m in container_of(pod)["volumeMounts"] if m["mountPath"] == HOME}
    return [v["persistentVolumeClaim"]["claimName"] for v in pod["spec"]["volumes"]
            if v["name"] in names and "persistentVolumeClaim" in v]


# -- configure_kubernetes ----------------------------------------------------------------
def test_a_learner_pod_has_the_image_limits_landing_home_and_classroom():
    c = Config()
    configure_kubernetes(c, image=IMAGE, lang="zh_CN")
    assert c.JupyterHub.spawner_class == "kubespawner.KubeSpawner"
    spawner, pod = build(c)
    container = container_of(pod)
    assert container["image"] == IMAGE
    assert container["resources"]["limits"] == {"cpu": 1.0, "memory": 1 * GiB}
    # What the scheduler reserves: the measured 190 MiB per learner, a twentieth of a CPU.
    assert container["resources"]["requests"] == {"cpu": 0.05, "memory": 190 * MiB}
    env = env_of(pod)
    assert env["JUPYTERHUB_DEFAULT_URL"] == "/voila/render/zh_CN/index.ipynb"
    assert env["JUPYTERHUB_ROOT_DIR"] == SITE
    assert env["JUPYTERHUB_DISABLE_USER_CONFIG"] == "1"
    assert env["SALESTRAIN_LANG"] == "zh_CN"
    # The classroom service through the hub's Kubernetes Service, with the service's prefix.
    assert env["SALESTRAIN_CLASSROOM"] == "http://hub:10101/services/classroom"
    assert env["SALESTRAIN_DATA_DIR"].startswith(HOME + "/")
    assert env["OMP_NUM_THREADS"] == "1"
    # Learner mode: the server command with the same Voila options as a laptop hub.
    assert container["args"] == ["jupyterhub-singleuser", *VOILA_ARGS]
    # The image's user; fsGroup makes the new volume theirs without an init container.
    assert container["securityContext"]["runAsUser"] == 1000
    assert pod["spec"]["securityContext"]["fsGroup"] == 100
    assert not pod["spec"].get("initContainers")
    # The home folder is the learner's own claim, created with the size asked for.
    assert home_claims(pod) == [spawner.pvc_name]
    assert spawner.get_pvc_manifest().spec.resources.requests == {"storage": "1Gi"}


@pytest.mark.parametrize("cpu, memory, storage", [(2, "2G", "5Gi"), (0.5, "768M", "500Mi")])
def test_limits_and_storage_follow_the_arguments(cpu, memory, storage):
    c = Config()
    configure_kubernetes(c, image=IMAGE, cpu_limit=cpu, mem_limit=memory, storage=storage)
    spawner, pod = build(c)
    limits = container_of(pod)["resources"]["limits"]
    assert limits["cpu"] == cpu
    assert limits["memory"] == int(float(memory[:-1]) * {"G": GiB, "M": MiB}[memory[-1]])
    assert env_of(pod)["OMP_NUM_THREADS"] == str(max(1, int(cpu)))
    assert spawner.get_pvc_manifest().spec.resources.requests == {"storage": storage}
    assert env_of(pod)["JUPYTERHUB_DEFAULT_URL"] == "/voila/render/en/index.ipynb"


@pytest.mark.parametrize("how", ["assigned", "updated"])
def test_what_the_chart_configured_is_kept_and_its_home_volume_not_doubled(how):
    c = Config()
    # As Zero to JupyterHub's singleuser.storage.type=dynamic and singleuser.extraEnv do.
    c.KubeSpawner.volumes = {"volume-{user_server}": {
        "name": "volume-{user_server}", "persistentVolumeClaim": {"claimName": "{pvc_name}"}}}
    c.KubeSpawner.volume_mounts = {"volume-{user_server}": {
        "name": "volume-{user_server}", "mountPath": HOME}}
    if how == "assigned":
        c.KubeSpawner.environment = {"COMPANY_PROXY": "http://proxy.corp:3128"}
    else:  # a config file before ours may merge into the default instead
        c.KubeSpawner.environment.update({"COMPANY_PROXY": "http://proxy.corp:3128"})
    configure_kubernetes(c, image=IMAGE)
    spawner, pod = build(c)
    assert [m["mountPath"] for m in container_of(pod)["volumeMounts"]].count(HOME) == 1
    assert home_claims(pod) == [spawner.pvc_name]
    env = env_of(pod)
    assert env["COMPANY_PROXY"] == "http://proxy.corp:3128"
    assert env["SALESTRAIN_LANG"] == "en"


def test_learner_tokens_may_call_the_classroom_and_only_it():
    c = Config()
    c.JupyterHub.load_roles = [{"name": "jupyterhub-idle-culler", "scopes": ["read:servers"]}]
    configure_kubernetes(c, image=IMAGE)
    scope = f"access:services!service={SERVICE_NAME}"
    spawner, _ = build(c)
    assert scope in spawner.server_token_scopes
    assert "users:activity!user" in spawner.server_token_scopes  # or the culler sees no activity
    roles = {role["name"]: role for role in c.JupyterHub.load_roles}
    assert roles["user"]["scopes"] == ["self", scope]
    assert roles["jupyterhub-idle-culler"]["scopes"] == ["read:servers"]  # the chart's, kept


@pytest.mark.parametrize("image, shown", [
    ("", "Dockerfile"),
    ("salestrain-singleuser", "salestrain-singleuser:0.1.0"),
    ("registry.example.com/salestrain-singleuser:latest", "registry.example.com/salestrain-singleuser:0.1.0"),
    ("registry.example.com:5000/salestrain-singleuser", "registry.example.com:5000/salestrain-singleuser:0.1.0"),
])
def test_an_image_without_a_version_is_refused_with_the_fix(image, shown):
    with pytest.raises(SalestrainError, match=re.escape(shown)):
        configure_kubernetes(Config(), image=image)


def test_images_pinned_by_digest_or_registry_port_and_tag_are_accepted():
    for image in ("registry.example.com:5000/salestrain-singleuser:0.1.0",
                  "registry.example.com/salestrain-singleuser@sha256:" + "0" * 64):
        configure_kubernetes(Config(), image=image)


@pytest.mark.parametrize("kwargs, shown", [
    ({"lang": "fr"}, "fr"),
    ({"cpu_limit": 0}, "0"),
    ({"cpu_limit": 1, "cpu_guarantee": 2}, "2"),
    ({"mem_limit": "128M"}, "128M"),  # below the 190M guarantee
    ({"mem_limit": "1Gi"}, "1Gi"),  # Kubernetes' unit where JupyterHub's is needed
])
def test_wrong_settings_are_named(kwargs, shown):
    with pytest.raises(SalestrainError, match=re.escape(shown)):
        configure_kubernetes(Config(), image=IMAGE, **kwargs)


# -- configure_classroom -----------------------------------------------------------------
def test_the_classroom_service_gets_its_settings_roles_and_the_class_code(tmp_path):
    c = Config()
    c.JupyterHub.services = [{"name": SERVICE_NAME, "url": "http://hub:10101",
                              "command": ["python3", "-m", "salestrain.hub.service"],
                              "api_token": "from-the-chart"}]
    db = f"sqlite:///{tmp_path / 'room.sqlite'}"
    settings = configure_classroom(c, db_url=db, trainer_token="t0ken", class_code="SPIN-42",
                                   lang="zh_CN", folder=str(tmp_path / "state"))
    (service,) = c.JupyterHub.services
    assert service["api_token"] == "from-the-chart"
    folder = service["environment"][FOLDER_ENV]
    saved = HubSettings.load(folder)
    assert saved == settings
    assert (saved.db_url, saved.trainer_token, saved.default_lang, saved.project) == \
        (db, "t0ken", "zh_CN", PROJECT)
    # Pods and the proxy reach the service over the cluster's network, not loopback.
    assert saved.service_ip == "0.0.0.0"
    # It holds the database password: readable by the hub's user only.
    assert stat.S_IMODE((Path(folder) / "settings.json").stat().st_mode) == 0o600
    roles = {role["name"]: role for role in c.JupyterHub.load_roles}
    assert roles[SERVICE_NAME]["services"] == [SERVICE_NAME]
    assert "list:users" in roles[SERVICE_NAME]["scopes"]
    authenticator = ClassCodeAuthenticator(config=c)
    assert (authenticator.class_code, authenticator.store_url, authenticator.default_lang) == \
        ("SPIN-42", db, "zh_CN")
    assert c.JupyterHub.authenticator_class == "salestrain.hub.auth.ClassCodeAuthenticator"
    # Its page (with the PIN field) comes first among the templates.
    page = Path(c.JupyterHub.template_paths[0]) / "login.html"
    assert 'name="pin"' in page.read_text(encoding="utf-8")


def test_the_service_is_added_when_the_values_did_not_declare_it(tmp_path):
    c = Config()
    configure_classroom(c, db_url="postgresql://room@db/room", trainer_token="k",
                        class_code="code", folder=str(tmp_path))
    (service,) = c.JupyterHub.services
    assert service["name"] == SERVICE_NAME
    assert service["url"] == "http://hub:10101"
    assert service["command"][-2:] == ["-m", "salestrain.hub.service"]


@pytest.mark.parametrize("authenticator", [None, "dummy", "salestrain.hub.auth.ClassCodeAuthenticator"])
def test_no_class_code_and_no_lms_is_refused(tmp_path, authenticator):
    c = Config()
    if authenticator:
        c.JupyterHub.authenticator_class = authenticator
    with pytest.raises(SalestrainError, match="SALESTRAIN_CLASS_CODE"):
        configure_classroom(c, db_url="postgresql://room@db/room", trainer_token="k",
                            class_code=" ", folder=str(tmp_path / "state"))
    assert not (tmp_path / "state").exists()  # refused before anything was written


@pytest.mark.parametrize("missing", ["db_url", "trainer_token"])
def test_a_missing_secret_is_named(tmp_path, missing):
    kwargs = {"db_url": "postgresql://room@db/room", "trainer_token": "k", missing: " "}
    with pytest.raises(SalestrainError, match=f"SALESTRAIN_{missing.upper()}"):
        configure_classroom(Config(), class_code="code", folder=str(tmp_path), **kwargs)


# -- the values file ---------------------------------------------------------------------
VALUES = yaml.safe_load((FOLDER / "values.yaml").read_text(encoding="utf-8"))
SNIPPET = VALUES["hub"]["extraConfig"]["salestrain"]


def chart_lookup(key: str, default: Any = None) -> Any:
    """Zero to JupyterHub's get_config: a dotted key into the values."""
    value: Any = VALUES
    for part in key.split("."):
        if not isinstance(value, dict) or part not in value:
            return default
        value = value[part]
    return value


def run_values(snippet: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
               class_code: str | None = "SPIN-42") -> Config:
    """What the chart's jupyterhub_config.py does with our values, up to our extraConfig:
    hub.services become the service list, hub.config passes through; then the snippet."""
    monkeypatch.setenv("SALESTRAIN_DB_URL", f"sqlite:///{tmp_path / 'room.sqlite'}")
    monkeypatch.setenv("SALESTRAIN_TRAINER_TOKEN", "t0ken")
    monkeypatch.setenv(FOLDER_ENV, str(tmp_path / "state"))
    if class_code is None:
        monkeypatch.delenv("SALESTRAIN_CLASS_CODE", raising=False)
    else:
        monkeypatch.setenv("SALESTRAIN_CLASS_CODE", class_code)
    c = Config()
    c.JupyterHub.services = [{**service, "name": key} for key, service in VALUES["hub"]["services"].items()]
    c.JupyterHub.load_roles = []
    for section, values in VALUES["hub"]["config"].items():
        c[section].update(values)
    exec(compile(snippet, "hub.extraConfig.salestrain", "exec"), {"c": c, "get_config": chart_lookup})
    return c


def test_the_values_file_configures_learner_pods_from_its_own_singleuser_block(tmp_path, monkeypatch):
    c = run_values(SNIPPET, tmp_path, monkeypatch)
    spawner, pod = build(c)
    single = VALUES["singleuser"]
    container = container_of(pod)
    assert container["image"] == f"{single['image']['name']}:{single['image']['tag']}"
    assert container["resources"]["limits"]["cpu"] == single["cpu"]["limit"]
    assert container["resources"]["requests"]["cpu"] == single["cpu"]["guarantee"]
    assert container["resources"]["limits"]["memory"] == 1 * GiB  # 1G
    assert container["resources"]["requests"]["memory"] == 190 * MiB  # 190M
    assert single["memory"] == {"limit": "1G", "guarantee": "190M"}
    assert spawner.get_pvc_manifest().spec.resources.requests == {"storage": single["storage"]["capacity"]}
    assert env_of(pod)["JUPYTERHUB_DEFAULT_URL"] == "/voila/render/en/index.ipynb"
    # A room of 200 learners is not refused at the chart's 64 starts at a time.
    assert VALUES["hub"]["concurrentSpawnLimit"] >= 200


def test_the_values_file_starts_the_classroom_service_with_its_secrets(tmp_path, monkeypatch):
    c = run_values(SNIPPET, tmp_path, monkeypatch)
    (service,) = [s for s in c.JupyterHub.services if s["name"] == SERVICE_NAME]
    settings = HubSettings.load(service["environment"][FOLDER_ENV])
    assert settings.db_url == f"sqlite:///{tmp_path / 'room.sqlite'}"
    assert settings.trainer_token == "t0ken"
    assert ClassCodeAuthenticator(config=c).class_code == "SPIN-42"
    # One port everywhere: the service's URL, the hub's Service, the network rules and the
    # address learners' pods are given.
    port = settings.service_port
    assert service["url"] == f"http://hub:{port}"
    assert [p["port"] for p in VALUES["hub"]["service"]["extraPorts"]] == [port]
    assert VALUES["hub"]["networkPolicy"]["ingress"][0]["ports"] == [{"port": port}]
    for rules in (VALUES["singleuser"]["networkPolicy"]["egress"],
                  VALUES["proxy"]["chp"]["networkPolicy"]["egress"]):
        assert rules[0]["ports"] == [{"port": port}]
        assert rules[0]["to"][0]["podSelector"]["matchLabels"]["app.kubernetes.io/component"] == "hub"
    _, pod = build(c)
    assert env_of(pod)["SALESTRAIN_CLASSROOM"].startswith(service["url"] + "/")
    # Every secret the snippet reads comes from the Secret named in hub.extraEnv.
    extra = VALUES["hub"]["extraEnv"]
    for name in re.findall(r'os\.environ\.get\("(\w+)"', SNIPPET):
        assert extra[name]["valueFrom"]["secretKeyRef"]["name"] == "salestrain"
    assert extra[FOLDER_ENV].startswith("/srv/jupyterhub/")  # the hub's own volume


def test_the_commented_lms_lines_work_once_uncommented(tmp_path, monkeypatch):
    lines = SNIPPET.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("# from salestrain.hub.lti"))
    end = next(i for i in range(start, len(lines)) if not lines[i].startswith("#"))
    snippet = "\n".join([*lines[:start], *(line[2:] for line in lines[start:end]), *lines[end:]])
    c = run_values(snippet, tmp_path, monkeypatch, class_code=None)
    assert c.JupyterHub.authenticator_class == "ltiauthenticator.lti13.auth.LTI13Authenticator"


def test_the_values_file_refuses_a_room_without_a_way_to_log_in(tmp_path, monkeypatch):
    with pytest.raises(SalestrainError, match="SALESTRAIN_CLASS_CODE"):
        run_values(SNIPPET, tmp_path, monkeypatch, class_code=None)


def test_the_chart_settings_a_room_depends_on():
    assert VALUES["hub"]["config"]["JupyterHub"]["authenticator_class"] != "dummy"
    assert VALUES["cull"]["enabled"] is True and VALUES["cull"]["timeout"] > 0
    https = VALUES["proxy"]["https"]
    assert https["enabled"] is True and https["type"] == "secret" and https["secret"]["name"]
    assert VALUES["singleuser"]["storage"]["homeMountPath"] == HOME


# -- the images ----------------------------------------------------------------------------
DOCKERFILE = (FOLDER / "Dockerfile").read_text(encoding="utf-8")


def stage(name: str) -> str:
    return re.search(rf"^FROM \S+ AS {name}\n(.*?)(?=^FROM |\Z)", DOCKERFILE, re.M | re.S).group(1)


def test_base_images_are_pinned_to_versions():
    images = dict(re.findall(r"^ARG (\w+)=(\S+)$", DOCKERFILE, re.M))
    assert images["BASE_NOTEBOOK"].startswith("quay.io/jupyter/base-notebook:")
    for image in images.values():
        tag = image.rpartition(":")[2]
        assert tag and tag != "latest" and "/" not in tag
    # The hub image belongs to the chart version the README installs.
    chart = images["K8S_HUB"].rpartition(":")[2]
    assert f"--version {chart}" in (FOLDER / "README.md").read_text(encoding="utf-8")
    assert f"version {chart}" in (FOLDER / "values.yaml").read_text(encoding="utf-8")


def test_the_learner_image_holds_no_exercise_sources():
    # Learners can run code in their pod: the answer keys must not be in its image. It
    # gets the wheel, the built site and the survey's questions (which survey pages read).
    learner = stage("singleuser")
    copies = re.findall(r"^COPY (.*)$", learner, re.M)
    assert sorted(copies) == sorted([
        f"--from=build {SITE} {SITE}",
        "--from=build /opt/salestrain/wheels /tmp/wheels",
        f"--from=build {PROJECT}/exercises/survey.yaml {PROJECT}/exercises/survey.yaml",
    ])
    survey = yaml.safe_load((ROOT / "exercises" / "survey.yaml").read_text(encoding="utf-8"))
    assert survey["kind"] == "survey"
    assert f"COPY --from=build {PROJECT} {PROJECT}" in stage("hub")  # the hub grades


def test_the_site_is_built_where_the_pods_serve_it():
    assert f"Path('{SITE}')" in stage("build")


# -- the README, in English and Chinese -----------------------------------------------------
def test_the_chinese_readme_follows_the_english_one():
    en = (FOLDER / "README.md").read_text(encoding="utf-8")
    zh = (FOLDER / "README.zh_CN.md").read_text(encoding="utf-8")
    assert len(headings(zh)) == len(headings(en))
    assert english_phrases(FENCE.sub("", zh)) == []
    commands = re.compile(r"^(?:helm|kubectl|docker) .*$", re.M)
    assert commands.findall(en) == commands.findall(zh)
    # The sizing is the measured 190 MiB per learner, said in both.
    for text in (en, zh):
        assert "190 MiB" in text and "38 GiB" in text
