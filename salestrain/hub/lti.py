"""Learners arrive from the company's learning platform (LMS) through LTI 1.3, no class code.

The LMS (Moodle, Canvas, Open edX...) registers the hub as an external tool; a learner
clicks the course's link and lands on their lessons, logged in as the LMS says. The
work is done by jupyterhub-ltiauthenticator's ``LTI13Authenticator``; this module sets
its traits from the four values the LMS shows after registration, and checks them first,
so a wrong value is named when the hub starts, not as a 400 on the first learner's click.

The LMS needs from the hub (Moodle: Site administration > Plugins > External tool >
Manage tools > configure a tool manually):

- tool URL: ``https://HUB/``; initiate login URL: ``https://HUB/hub/lti13/oauth_login``
- redirection URI: ``https://HUB/hub/lti13/oauth_callback``
- or, where the LMS reads a configuration URL (Canvas): ``https://HUB/hub/lti13/config``
- launch in a new window: inside the LMS's frame, browsers refuse the hub's cookie.

``salestrain/data/hub/lti13.example.py`` is the snippet a trainer copies.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from salestrain.base.errors import SalestrainError
from salestrain.base.i18n import t

AUTHENTICATOR = "ltiauthenticator.lti13.auth.LTI13Authenticator"
# A test LMS on the trainer's own machine may speak plain HTTP; nothing else may.
LOOPBACK = ("localhost", "127.0.0.1", "::1")


def configure_lti13(c: Any, *, issuer: str, client_id: str | Iterable[str], authorize_url: str,
                    jwks_endpoint: str, username_key: str = "email") -> None:
    """Log learners in through LTI 1.3 from the platform ``issuer``.

    ``issuer``, ``client_id``, ``authorize_url`` and ``jwks_endpoint`` are what the LMS
    shows after the tool is registered (Moodle: platform ID, client ID, authentication
    request URL, public keyset URL). ``client_id`` may be several IDs (one registration
    per course or tenant).

    ``username_key`` is the claim that names the hub user. It must differ for every
    learner: two learners with the same user name share one server and one set of grades.
    ``email`` (the default) is unique and readable in the trainer's reports; where the
    LMS keeps emails private, jupyterhub-ltiauthenticator falls back to ``sub``, the LMS's
    opaque user ID. A full ``name`` is readable but not unique in a room of 200.
    """
    _check_url("issuer", issuer, bare=True)
    _check_url("authorize_url", authorize_url)
    _check_url("jwks_endpoint", jwks_endpoint)
    ids = [client_id] if isinstance(client_id, str) else list(client_id)
    ids = [str(one).strip() for one in ids if str(one).strip()]
    if not ids:
        raise SalestrainError(t("hub_cluster.lti.no_client_id"))
    if not username_key.strip():
        raise SalestrainError(t("hub_cluster.lti.no_username_key"))

    c.JupyterHub.authenticator_class = AUTHENTICATOR
    a = c.LTI13Authenticator
    a.issuer = issuer.strip()
    a.client_id = ids
    a.authorize_url = authorize_url.strip()
    a.jwks_endpoint = jwks_endpoint.strip()
    a.username_key = username_key.strip()
    # Who may enter is decided by the LMS (whoever it launches, with a token signed by the
    # issuer's keys); JupyterHub 5 would otherwise let nobody in.
    c.Authenticator.allow_all = True


def _check_url(field: str, value: str, *, bare: bool = False) -> None:
    parts = urlsplit((value or "").strip())
    secure = parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in LOOPBACK)
    if not (secure and parts.netloc):
        raise SalestrainError(t("hub_cluster.lti.url", field=field, value=value or ""))
    if bare and (parts.query or parts.fragment):
        # The issuer is compared as a string with the token's "iss" claim.
        raise SalestrainError(t("hub_cluster.lti.issuer_query", value=value))
