"""Learners from the company's LMS through LTI 1.3: the real LTI13Authenticator, configured
by configure_lti13 and by the example trainers copy, and the values it refuses."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from ltiauthenticator.lti13.auth import LTI13Authenticator
from traitlets.config import Config
from traitlets.utils.importstring import import_item

from salestrain.base.errors import SalestrainError
from salestrain.hub.lti import configure_lti13

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "salestrain" / "data" / "hub" / "lti13.example.py"
MOODLE = {
    "issuer": "https://moodle.example.com",
    "client_id": "kT3x9ZQWpL2mN8v",
    "authorize_url": "https://moodle.example.com/mod/lti/auth.php",
    "jwks_endpoint": "https://moodle.example.com/mod/lti/certs.php",
}


def authenticator(c: Config) -> LTI13Authenticator:
    """The authenticator JupyterHub would build from ``c``."""
    cls = import_item(c.JupyterHub.authenticator_class)
    assert issubclass(cls, LTI13Authenticator)
    return cls(config=c)


def test_the_authenticator_takes_the_lms_values():
    c = Config()
    configure_lti13(c, **MOODLE)
    a = authenticator(c)
    assert a.issuer == MOODLE["issuer"]
    assert a.client_id == {MOODLE["client_id"]}
    assert a.authorize_url == MOODLE["authorize_url"]
    assert a.jwks_endpoint == MOODLE["jwks_endpoint"]
    assert a.username_key == "email"
    assert a.allow_all  # whoever the LMS launches may enter: JupyterHub 5 admits nobody else


def test_several_registrations_and_another_username_claim():
    c = Config()
    configure_lti13(c, **{**MOODLE, "client_id": ["course-a", " course-b ", ""]}, username_key="sub")
    a = authenticator(c)
    assert a.client_id == {"course-a", "course-b"}
    assert a.username_key == "sub"


def test_the_username_is_the_learners_email_or_the_lms_id_when_the_email_is_private():
    c = Config()
    configure_lti13(c, **MOODLE)
    a = authenticator(c)
    assert a.get_username({"sub": "17", "email": "wang.fang@example.com", "name": "王芳"}) == \
        "wang.fang@example.com"
    assert a.get_username({"sub": "17", "name": "王芳"}) == "17"


def test_the_addresses_the_lms_is_given_are_the_hubs_own():
    # The example and the module's documentation tell the LMS these paths.
    a = LTI13Authenticator()
    text = EXAMPLE.read_text(encoding="utf-8")
    for url in (a.login_url("/hub/"), a.callback_url("/hub/")):
        assert f"https://HUB{url}" in text


def test_a_local_test_lms_may_use_plain_http():
    c = Config()
    configure_lti13(c, issuer="http://localhost:8080", client_id="dev",
                    authorize_url="http://127.0.0.1:8080/mod/lti/auth.php",
                    jwks_endpoint="http://localhost:8080/mod/lti/certs.php")
    assert authenticator(c).issuer == "http://localhost:8080"


@pytest.mark.parametrize("field, value, shown", [
    ("issuer", "", "issuer"),
    ("issuer", "moodle.example.com", "moodle.example.com"),
    ("issuer", "http://moodle.example.com", "http://moodle.example.com"),
    ("issuer", "https://moodle.example.com/?id=3", "?id=3"),
    ("issuer", "https://moodle.example.com#top", "#top"),
    ("authorize_url", "ftp://moodle.example.com/auth", "authorize_url"),
    ("jwks_endpoint", "", "jwks_endpoint"),
    ("client_id", "", "Client ID"),
    ("client_id", [" ", ""], "Client ID"),
])
def test_a_wrong_or_missing_value_is_named_before_the_hub_starts(field, value, shown):
    c = Config()
    with pytest.raises(SalestrainError, match=re.escape(shown)):
        configure_lti13(c, **{**MOODLE, field: value})
    assert "authenticator_class" not in c.JupyterHub  # nothing half-configured


def test_an_empty_username_claim_is_refused():
    with pytest.raises(SalestrainError, match="username_key"):
        configure_lti13(Config(), **MOODLE, username_key=" ")


def test_the_example_trainers_copy_configures_the_authenticator():
    c = Config()
    source = EXAMPLE.read_text(encoding="utf-8")
    exec(compile(source, str(EXAMPLE), "exec"), {"get_config": lambda: c})
    a = authenticator(c)
    assert (a.issuer, a.authorize_url, a.jwks_endpoint) == \
        (MOODLE["issuer"], MOODLE["authorize_url"], MOODLE["jwks_endpoint"])
    assert a.client_id == {MOODLE["client_id"]}
