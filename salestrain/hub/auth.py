"""Login for a room without accounts: the class code, the learner's name, a PIN they choose.

The trainer announces the class code. A learner types it with their name and a PIN of
4-8 digits; the first login with a name claims it, and later logins with that name need
the same PIN (so a classmate cannot open someone else's work). The page and its errors
are in the language the learner picks on it; the choice is kept for their lessons.
"""

from __future__ import annotations

import hmac
from typing import Any

from jupyterhub.auth import Authenticator
from jupyterhub.handlers.login import LoginHandler
from traitlets import Unicode

from salestrain.base.i18n import LANGUAGES, t
from salestrain.hub.names import PIN, fold, name_problem, username_for

LANG_COOKIE = "salestrain-lang"


def page_language(handler: Any, default: str) -> str:
    """?lang= on the page, else the cookie the learner's last choice left, else the room's."""
    chosen = handler.get_argument("lang", default="") or handler.get_cookie(LANG_COOKIE, default="")
    return chosen if chosen in LANGUAGES else default


class ClassLoginHandler(LoginHandler):
    """JupyterHub's login page with our form, in the learner's language, and our errors."""

    async def _render(self, login_error: str | None = None, username: str | None = None,
                      **kwargs: Any) -> str:
        lang = page_language(self, self.authenticator.default_lang)
        texts = {key: t(f"hub.login.{key}", lang=lang) for key in
                 ("title", "intro", "code", "name", "pin", "pin_help", "submit", "other")}
        other = next(code for code in LANGUAGES if code != lang)
        return await super()._render(login_error=login_error, username=username, lang=lang,
                                     texts=texts, other_lang=other,
                                     other_label=t("hub.login.language_name", lang=other),
                                     **kwargs)

    async def post(self) -> None:
        data = {arg: self.get_argument(arg, strip=arg in ("username", "pin", "password", "lang"))
                for arg in self.request.body_arguments if arg != "_xsrf"}
        lang = data.get("lang") if data.get("lang") in LANGUAGES else self.authenticator.default_lang
        self.set_cookie(LANG_COOKIE, lang, path=self.hub.base_url)
        self._salestrain_refusal = "hub.login.refused"
        user = await self.login_user(data)
        if user:
            self._jupyterhub_user = user
            self.redirect(self.get_next_url(user))
            return
        self.set_status(403)
        self.finish(await self._render(login_error=t(self._salestrain_refusal, lang=lang),
                                       username=data.get("username", "")[:MAX_SHOWN]))


MAX_SHOWN = 40


class ClassCodeAuthenticator(Authenticator):
    """Class code + name + PIN; the roster lives in the classroom store."""

    class_code = Unicode(config=True, help="The code the trainer announces to the room.")
    store_url = Unicode(config=True, help="The classroom store (SQLAlchemy URL).")
    default_lang = Unicode("en", config=True, help="The login page's language before a choice.")

    def get_handlers(self, app: Any) -> list[tuple[str, type]]:
        return [("/login", ClassLoginHandler)]

    def _store(self) -> Any:
        if not hasattr(self, "_classroom"):
            from salestrain.io.classroom import open_classroom

            self._classroom = open_classroom(self.store_url)
        return self._classroom

    async def authenticate(self, handler: Any, data: dict[str, str]) -> dict[str, Any] | None:
        from salestrain.io.classroom import join

        def refuse(key: str) -> None:
            if handler is not None:
                handler._salestrain_refusal = key
            return None

        code, name, pin = data.get("password", ""), data.get("username", ""), data.get("pin", "")
        lang = data.get("lang") if data.get("lang") in LANGUAGES else self.default_lang
        # An empty class code would let anybody in: it never matches.
        expected = fold(self.class_code)
        if not expected or not hmac.compare_digest(fold(code).encode(), expected.encode()):
            return refuse("hub.login.wrong_code")
        problem = name_problem(name)
        if problem:
            return refuse(problem)
        if not PIN.fullmatch(pin):
            return refuse("hub.login.pin_bad")
        learner = join(self._store(), username_for(name), name.strip(), pin, lang)
        if learner is None:
            return refuse("hub.login.name_taken")
        return {"name": learner.username}

    def check_allowed(self, username: str, authentication: Any = None) -> bool:
        # Whoever knows the class code is in the room; authenticate() checked it.
        return True
