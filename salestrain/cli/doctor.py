"""Checks that this machine can run a workshop; ``salestrain doctor`` prints them."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Literal

from salestrain.base.i18n import t

Status = Literal["ok", "warn", "fail"]
MIN_PYTHON = (3, 11)

REQUIRED_PACKAGES = (
    "jupyterlab", "ipywidgets", "ipykernel", "pandas", "numpy", "matplotlib",
    "nbformat", "nbclient", "pydantic", "ruamel.yaml", "click", "sqlalchemy", "voila",
)


@dataclass(frozen=True)
class Check:
    """One line of the table, in the session's language (made when the checks run)."""

    name: str
    status: Status
    detail: str
    fix: str = ""


def check_python() -> Check:
    version = ".".join(map(str, sys.version_info[:3]))
    if sys.version_info[:2] >= MIN_PYTHON:
        return Check(t("cli.doctor.check.python"), "ok", f"{version} ({sys.executable})")
    return Check(t("cli.doctor.check.python"), "fail", version, t("cli.doctor.how.python"))


def check_packages() -> list[Check]:
    checks = []
    for name in REQUIRED_PACKAGES:
        try:
            checks.append(Check(name, "ok", metadata.version(name)))
        except metadata.PackageNotFoundError:
            checks.append(Check(name, "fail", t("cli.doctor.detail.not_installed"),
                                t("cli.doctor.how.package", name=name)))
    return checks


def check_widgets_frontend() -> Check:
    """The ipywidgets JupyterLab extension must be where this JupyterLab looks."""
    from jupyter_core.paths import jupyter_path

    for base in jupyter_path("labextensions"):
        pkg = Path(base) / "@jupyter-widgets" / "jupyterlab-manager" / "package.json"
        if pkg.exists():
            return Check(t("cli.doctor.check.widgets"), "ok", str(pkg.parent))
    return Check(t("cli.doctor.check.widgets"), "fail", t("cli.doctor.detail.no_widgets"),
                 t("cli.doctor.how.widgets"))


def check_kernel(timeout: float = 60) -> Check:
    """Start the default kernel and import salestrain in it."""
    try:
        from jupyter_client.manager import start_new_kernel

        # The kernel's own log lines would land in the middle of the table.
        km, kc = start_new_kernel(kernel_name="python3", startup_timeout=timeout,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        seen: list[str] = []

        def keep_stdout(msg: dict) -> None:
            if msg["msg_type"] == "stream":
                seen.append(msg["content"]["text"])

        try:
            reply = kc.execute_interactive(
                "import sys, salestrain; print(sys.executable)",
                timeout=timeout, output_hook=keep_stdout,
            )
            ok = reply["content"]["status"] == "ok"
            spec = "".join(seen).strip() or "?"
        finally:
            kc.stop_channels()
            km.shutdown_kernel(now=True)
    except Exception as exc:  # any failure here is what the check reports
        return Check(t("cli.doctor.check.kernel"), "fail", f"{type(exc).__name__}: {exc}",
                     t("cli.doctor.how.kernel"))
    if not ok:
        return Check(t("cli.doctor.check.kernel"), "fail", t("cli.doctor.detail.kernel_no_import"),
                     t("cli.doctor.how.kernel_import"))
    return Check(t("cli.doctor.check.kernel"), "ok", t("cli.doctor.detail.kernel_ok", spec=spec))


def check_cjk_font(lang: str) -> Check:
    from salestrain.plots.style import installed_cjk_families

    found = installed_cjk_families()
    if found:
        return Check(t("cli.doctor.check.cjk_font"), "ok", ", ".join(found))
    status: Status = "fail" if lang == "zh_CN" else "warn"
    # cli.doctor.how.cjk_font is plots.style.CJK_INSTALL_HINT, in the session's language
    return Check(t("cli.doctor.check.cjk_font"), status, t("cli.doctor.detail.no_cjk_font"),
                 t("cli.doctor.how.cjk_font"))


def run_checks(lang: str, kernel: bool = True) -> list[Check]:
    checks = [check_python(), *check_packages(), check_widgets_frontend()]
    if kernel:
        checks.append(check_kernel())
    checks.append(check_cjk_font(lang))
    return checks
