"""The class-code login on its own: the real authenticator and a real (SQLite) roster."""

from __future__ import annotations

import asyncio

import pytest

pytest.importorskip("jupyterhub")

from salestrain.hub.auth import ClassCodeAuthenticator  # noqa: E402
from salestrain.hub.names import username_for  # noqa: E402


class Page:
    """What the login handler gives the authenticator: somewhere to leave the refusal."""

    _salestrain_refusal = ""


def login(auth: ClassCodeAuthenticator, **form: str) -> tuple[dict | None, str]:
    page = Page()
    found = asyncio.run(auth.authenticate(page, form))
    return found, page._salestrain_refusal


@pytest.fixture()
def auth(tmp_path):
    return ClassCodeAuthenticator(class_code="Room 42", store_url=f"sqlite:///{tmp_path / 'room.sqlite'}")


def test_the_code_name_and_pin_let_a_learner_in_and_back(auth):
    first, _ = login(auth, password="room 42", username="王芳", pin="1234", lang="zh_CN")
    assert first == {"name": username_for("王芳")}
    again, _ = login(auth, password="ROOM 42", username=" 王芳 ", pin="1234", lang="en")
    assert again == first


@pytest.mark.parametrize(("form", "why"), [
    ({"password": "room 41", "username": "Ann", "pin": "1234"}, "hub.login.wrong_code"),
    ({"password": "room 42", "username": "  ", "pin": "1234"}, "hub.login.name_missing"),
    ({"password": "room 42", "username": "x" * 41, "pin": "1234"}, "hub.login.name_bad"),
    ({"password": "room 42", "username": "Ann", "pin": "12a4"}, "hub.login.pin_bad"),
    ({"password": "room 42", "username": "Ann", "pin": "123"}, "hub.login.pin_bad"),
])
def test_each_bad_login_is_refused_with_its_reason(auth, form, why):
    found, refusal = login(auth, **form)
    assert found is None and refusal == why


def test_a_name_is_kept_for_its_pin(auth):
    assert login(auth, password="room 42", username="Ann Lee", pin="1111")[0]
    found, refusal = login(auth, password="room 42", username="ann  lee", pin="2222")
    assert found is None and refusal == "hub.login.name_taken"


def test_an_empty_class_code_lets_nobody_in(tmp_path):
    open_door = ClassCodeAuthenticator(class_code="", store_url=f"sqlite:///{tmp_path / 'r.sqlite'}")
    found, refusal = login(open_door, password="", username="Ann", pin="1234")
    assert found is None and refusal == "hub.login.wrong_code"
