"""What the classroom service does, apart from HTTP: submissions graded as they arrive,
live role-play tables, polls, and the trainer's live pages.

One writer thread does every store write and every grading step, in arrival order:
moves on a table get their sequence numbers without races. Reads (a learner's table, long
polls, the trainer's pages) run on a small pool of reader threads, so a slow page never
holds up an offer, and the event loop stays free to answer long polls. The store is
committed before any answer goes back. The debrief is computed once per change of the
round (a new move or table) and served from memory until the next one.
"""

from __future__ import annotations

import asyncio
import base64
import html
import json
import threading
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from io import BytesIO
from pathlib import Path
from typing import Any

from salestrain.base.errors import SalestrainError
from salestrain.base.i18n import set_language, t
from salestrain.hub.settings import HubSettings
from salestrain.io import classroom as store


class RefusedError(SalestrainError):
    """A learner's or trainer's request that cannot be carried out; the text says why."""


def _page(title: str, body: str, lang: str, refresh_ms: int = 0) -> str:
    script = "" if not refresh_ms else f"""<script>
setInterval(async () => {{
  const r = await fetch(location.pathname + "?fragment=1&lang={lang}", {{credentials: "same-origin"}});
  if (r.ok) document.getElementById("live").innerHTML = await r.text();
}}, {refresh_ms});
</script>"""
    return f"""<!doctype html><html lang="{'zh-CN' if lang == 'zh_CN' else 'en'}"><head><meta charset="utf-8">
<title>{html.escape(title)}</title><style>
body {{ font-family: "Noto Sans CJK SC", "WenQuanYi Micro Hei", system-ui, sans-serif; margin: 24px;
       font-size: 24px; color: #1a1a1a; }}
h1 {{ font-size: 34px; margin: 0 0 12px; }} table {{ border-collapse: collapse; font-size: 20px; }}
td, th {{ padding: 4px 10px; border-bottom: 1px solid #ccc; text-align: left; }}
td.state {{ white-space: nowrap; }}
th {{ font-size: 18px; vertical-align: bottom; }}
.num {{ text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }}
img {{ width: 100%; max-height: 60vh; object-fit: contain; }}
.grid {{ display: grid; grid-template-columns: minmax(0, 5fr) minmax(0, 7fr); gap: 20px; align-items: start; }}
.what {{ color: #444; font-size: 22px; }}
</style></head><body><h1>{html.escape(title)}</h1><div id="live">{body}</div>{script}</body></html>"""


def _png(fig: Any) -> str:
    buf = BytesIO()
    fig.savefig(buf, format="png", dpi=100)
    return base64.b64encode(buf.getvalue()).decode("ascii")


class Classroom:
    def __init__(self, settings: HubSettings) -> None:
        self.settings = settings
        self.store = store.open_classroom(settings.db_url)
        self.writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="classroom-write")
        self.readers = ThreadPoolExecutor(max_workers=4, thread_name_prefix="classroom-read")
        # The message language is process-wide: grading and page rendering take turns.
        self.language = threading.Lock()
        self.changed: dict[int, asyncio.Event] = defaultdict(asyncio.Event)
        self._book: Any = None
        self._touched: set[int] = set()  # tables changed by writer calls not yet announced
        self._scenarios: dict[tuple[str, str | None], Any] = {}
        self._roster: tuple[float, dict[str, store.Learner]] = (0.0, {})
        self._debrief: dict[Any, Any] = {}

    async def write(self, fn: Any, *args: Any) -> Any:
        """Run a change on the writer thread, then wake the long polls of the tables it moved."""
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self.writer, fn, *args)
        finally:
            touched, self._touched = self._touched, set()
            for table_id in touched:
                self.changed.pop(table_id, asyncio.Event()).set()

    async def read(self, fn: Any, *args: Any) -> Any:
        return await asyncio.get_running_loop().run_in_executor(self.readers, fn, *args)

    def close(self) -> None:
        self.writer.shutdown(wait=True)
        self.readers.shutdown(wait=True)

    @property
    def book(self) -> Any:
        if self._book is None:
            from salestrain.grading.gradebook import Gradebook

            self._book = Gradebook.open(self.settings.extra.get("gradebook_url") or self.settings.db_url)
        return self._book

    def roster(self, fresh: bool = False) -> dict[str, store.Learner]:
        """Who joined. The hub adds learners (and changes a language) at login, so the copy
        kept here is read again when it is 5 s old or lacks the name asked for."""
        at, known = self._roster
        if fresh or time.monotonic() - at > 5:
            known = store.roster(self.store)
            self._roster = (time.monotonic(), known)
        return known

    def _learner(self, username: str) -> store.Learner | None:
        found = self.roster().get(username)
        return found if found is not None else self.roster(fresh=True).get(username)

    def display(self, username: str) -> str:
        learner = self._learner(username)
        return learner.display if learner else username

    def lang_of(self, username: str) -> str:
        learner = self._learner(username)
        return learner.lang if learner else self.settings.default_lang

    def me(self, username: str) -> dict[str, Any]:
        return {"learner": username, "name": self.display(username), "lang": self.lang_of(username)}

    # -- exercises ----------------------------------------------------------------------
    def exercise_sources(self) -> dict[str, tuple[Path, str]]:
        """Every no-code exercise of the project: its id -> (source notebook, site page name)."""
        from salestrain.io.learner import case_exercises, no_code_exercises

        project = Path(self.settings.project)
        found: dict[str, tuple[Path, str]] = {}
        for module, path in no_code_exercises(project / "exercises", "en"):
            found[self._exercise_id(path)] = (path, f"{module}__{path.stem}")
        for module, slug, path in case_exercises(project / "cases", "en"):
            found[self._exercise_id(path)] = (path, f"{module}__{slug}__{path.stem}")
        return found

    @staticmethod
    def _exercise_id(path: Path) -> str:
        from salestrain.grading.nocode import exercise_name

        return exercise_name(path, json.loads(path.read_text(encoding="utf-8")))

    def release(self, data: dict[str, Any]) -> dict[str, Any]:
        wanted = str(data.get("exercise", "")).strip()
        sources = self.exercise_sources()
        match = wanted if wanted in sources else next(
            (eid for eid, (path, page) in sources.items()
             if wanted in (page, path.stem, f"{path.parent.name}/{path.stem}")), None)
        if match is None:
            raise RefusedError(t("hub.release.unknown", exercise=wanted, known=", ".join(sorted(sources))))
        store.release(self.store, match, str(sources[match][0]))
        self.build_site()
        return {"released": match, "page": sources[match][1]}

    def build_site(self) -> None:
        from salestrain.io.learner import add_live_pages, build_site

        project = Path(self.settings.project)
        sources = self.exercise_sources()
        pages = {sources[eid][1] for eid in store.released(self.store) if eid in sources}
        build_site(project / "notebooks", self.settings.site, project / "exercises",
                   project / "cases", released=pages)
        add_live_pages(self.settings.site)

    def submit(self, username: str, data: dict[str, Any]) -> dict[str, Any]:
        """A learner's answer sheet: a released exercise, a pre/post check, or a survey.

        The sheet is kept as received first (nothing is lost if grading fails), then graded
        by the same one-job steps as sheets collected as files."""
        exercise = str(data.get("exercise", ""))
        answers = data.get("answers")
        if not isinstance(answers, dict):
            raise RefusedError(t("hub.submit.no_answers", lang=self.lang_of(username)))
        if self._kind_of(exercise) is None:
            raise RefusedError(t("hub.submit.not_released", exercise=exercise[:80], lang=self.lang_of(username)))
        # Who submits is the hub's word, never the body's: a forged "learner" is ignored.
        sheet = {"format": 1, "learner": self.display(username), "exercise": exercise, "answers": answers}
        payload = json.dumps(sheet, ensure_ascii=False)
        sid = store.receive(self.store, username, exercise, payload)
        return self._grade(sid, username, exercise, payload)

    def _kind_of(self, exercise: str) -> tuple[str, Any] | None:
        """What a sheet's exercise id names: ("released", source), ("check", (module, form)),
        ("survey", module), or None (unknown, or not released to this room)."""
        from salestrain.io.item_bank import FORMS, item_banks
        from salestrain.io.learner import check_id
        from salestrain.io.survey import survey_file, survey_id

        released = store.released(self.store)
        if exercise in released:
            return "released", Path(released[exercise])
        exercises = Path(self.settings.project) / "exercises"
        for module in item_banks(exercises):
            for form in FORMS:
                if exercise == check_id(module, form):
                    return "check", (module, form)
            if exercise == survey_id(module) and survey_file(exercises).is_file():
                return "survey", module
        return None

    def _grade(self, sid: int, username: str, exercise: str, payload: str) -> dict[str, Any]:
        from salestrain.grading.checks import bank_questions, exercise_of
        from salestrain.grading.gradebook import exercise_id
        from salestrain.grading.nocode import declared_questions, grade_file, scenario_lookup
        from salestrain.io.item_bank import item_banks, load_item_bank

        kind = self._kind_of(exercise)
        lang, name = self.lang_of(username), self.display(username)
        exercises = Path(self.settings.project) / "exercises"
        if kind is None:
            shown = {"received": sid, "graded": False, "stopped": t("hub.submit.not_released",
                                                                    exercise=exercise[:80], lang=lang)}
            store.mark_graded(self.store, sid, shown)
            return shown
        if kind[0] == "survey":
            return self._record_survey(sid, kind[1], username, payload, exercises)
        with self.language:
            set_language(lang)  # feedback in the learner's language
            if kind[0] == "released":
                source = kind[1]
                nb = json.loads(source.read_text(encoding="utf-8"))
                questions, _ = declared_questions(nb, str(source))
                domains = scenario_lookup() if any(d.data.get("kind") == "offer" for d in questions.values()) \
                    else None
                result = grade_file(questions, name, Path(f"hub/{username}/{exercise}"),
                                    payload.encode("utf-8"), exercise, domains)
                if result.graded:
                    self.book.record(exercise_id(source), result)
            else:
                # A check: the module's item bank, the form's questions, the same grader.
                module, form = kind[1]
                bank = load_item_bank(item_banks(exercises)[module])
                result = grade_file(bank_questions(bank, form), name, Path(f"hub/{username}/{exercise}"),
                                    payload.encode("utf-8"), exercise)
                if result.graded:
                    self.book.record(exercise_of(module, form), result)
        shown = {"received": sid, "graded": result.graded, "score": result.score,
                 "max_score": result.max_score, "stopped": result.stopped,
                 "feedback": [{"question": o.question, "status": o.status, "points": o.points,
                               "max_points": o.max_points, "message": "" if o.hidden else o.message}
                              for o in result.outcomes]}
        store.mark_graded(self.store, sid, shown)
        return shown

    def _record_survey(self, sid: int, module: str, username: str, payload: str, exercises: Path) -> dict[str, Any]:
        """The survey's own steps (read the sheet, check it against the survey, keep it)."""
        from salestrain.core.assessment.survey import check_sheet
        from salestrain.grading.nocode import read_answers
        from salestrain.grading.survey import refusal_text
        from salestrain.io.survey import SurveyStore, load_survey, survey_file, survey_id

        name = self.display(username)
        with self.language:
            set_language(self.lang_of(username))
            answers, reason = read_answers(payload.encode("utf-8"), name, survey_id(module))
            reasons: list[str] = [reason or ""] if answers is None else []
            if answers is not None:
                kept, refusals = check_sheet(load_survey(survey_file(exercises)), answers)
                reasons = [refusal_text(r) for r in refusals[:5]]
        if not reasons:
            book = SurveyStore(self.survey_url(), create=True)
            book.record(module, name, kept)
        shown = {"received": sid, "graded": not reasons, "stopped": " ".join(reasons)}
        store.mark_graded(self.store, sid, shown)
        return shown

    def survey_url(self) -> str:
        """The room's survey answers: beside the classroom (its own file with SQLite)."""
        url = self.settings.db_url
        return url.replace("classroom.sqlite", "survey.sqlite") if url.startswith("sqlite") else url

    def learner_report(self, username: str) -> str:
        """A learner's own mastery report from the room's gradebook, in their language."""
        from salestrain.base.errors import DataError
        from salestrain.grading.checks import mentor_view
        from salestrain.io.html import render

        lang, name = self.lang_of(username), self.display(username)
        with self.language:
            set_language(lang)
            try:
                return mentor_view(self.book, Path(self.settings.project) / "exercises", name,
                                   title_key="grading.checks.mastery_title")
            except DataError:
                return render("report/mentor.html", title=t("grading.checks.mastery_title", learner=name),
                              modules=[], graded=[], placements=[])

    def resume(self) -> None:
        """After a restart: grade what arrived but was not graded; rebuild the site."""
        for row in store.ungraded(self.store):
            self._grade(row.id, row.username, row.exercise, row.payload)
        self.build_site()

    # -- live role play -------------------------------------------------------------------
    def pair(self, data: dict[str, Any]) -> dict[str, Any]:
        from salestrain.core.negotiation.live import SCRIPTED, pair_room
        from salestrain.io.negotiation import load_scenario

        scenario = str(data.get("scenario") or "price-sensitive-buyer")
        load_scenario(scenario)  # a bad name is the trainer's error now, not the room's later
        roster = self.roster()
        by_name = {learner.display.casefold(): u for u, learner in roster.items()}
        fixed = []
        for pair in data.get("pairs") or []:
            try:
                fixed.append(tuple(u if u in roster else by_name[str(u).casefold()] for u in pair))
            except KeyError as exc:
                raise RefusedError(t("hub.pair.unknown", name=str(exc.args[0]))) from None
        learners = list(data.get("learners") or roster)
        if not learners:
            raise RefusedError(t("hub.pair.empty"))
        pairings = pair_room(learners, int(data.get("seed", time.time_ns() % 100_000)), fixed)
        deadline = {"rounds": data.get("rounds"), "minutes": data.get("minutes"), "started": time.time()}
        rows = [{"name": p.table, "scenario": scenario, "seller": p.seller, "buyer": p.buyer,
                 "deadline": deadline} for p in pairings]
        number = store.new_round(self.store, rows)
        scripted = [p.table for p in pairings if SCRIPTED in (p.seller, p.buyer)]
        return {"round": number, "tables": [{"table": p.table, "seller": self.display(p.seller),
                                             "buyer": self.display(p.buyer)} for p in pairings],
                "scripted": scripted}

    def _my_row(self, username: str) -> tuple[Any, str]:
        for row in store.current_round(self.store):
            if username in (row.seller, row.buyer):
                return row, "seller" if row.seller == username else "buyer"
        raise RefusedError(t("hub.table.none", lang=self.lang_of(username)))

    def _state(self, row: Any) -> Any:
        from salestrain.core.negotiation.live import Deadline, LiveMove, Pairing, TableState

        options = tuple(len(i.options) for i in self._scenario(row.scenario).domain.issues)
        d = json.loads(row.deadline)
        state = TableState(Pairing(row.name, row.seller, row.buyer), options,
                           Deadline(d.get("rounds"), d.get("minutes"), d.get("started", 0.0)))
        moves = tuple(LiveMove(m.seq, m.role, m.kind, None if m.offer is None else tuple(json.loads(m.offer)), m.at)
                      for m in store.table_moves(self.store, row.id))
        return TableState(state.pairing, state.options, state.deadline, moves)

    def _scenario(self, name: str, lang: str | None = None) -> Any:
        # Read once per language: every offer and every debrief refresh needs the scenario,
        # and parsing its YAML each time was most of a refresh under load.
        key = (name, lang)
        if key not in self._scenarios:
            from salestrain.io.negotiation import load_scenario

            self._scenarios[key] = load_scenario(name, lang)
        return self._scenarios[key]

    def my_table(self, username: str) -> dict[str, Any]:
        row, role = self._my_row(username)
        lang = self.lang_of(username)
        scenario = self._scenario(row.scenario, lang)
        state = self._state(row)
        partner = row.buyer if role == "seller" else row.seller
        prefs = getattr(scenario.domain, role)
        return {
            "table": row.name, "round": row.round, "role": role,
            "role_label": scenario.role_labels.get(role, role),
            "partner": self.display(partner) if partner != "scripted" else t("hub.table.scripted", lang=lang),
            "scenario": scenario.title, "shared": scenario.shared, "brief": scenario.briefs.get(role, ""),
            "batna": scenario.batna.get(role, ""),
            "issues": [{"name": i.name, "label": scenario.issue_label(i.name), "options": list(i.options),
                        "my_scores": [round(prefs.weights[i.name] * s, 4) for s in prefs.scores[i.name]]}
                       for i in scenario.domain.issues],
            "my_reservation": prefs.reservation,
            "deadline": json.loads(row.deadline), "status": state.status,
            "moves": [self._move_json(m) for m in state.moves],
        }

    @staticmethod
    def _move_json(m: Any) -> dict[str, Any]:
        return {"seq": m.seq, "role": m.role, "kind": m.kind,
                "offer": None if m.offer is None else list(m.offer), "at": m.at}

    def move(self, username: str, kind: Any, offer: Any) -> dict[str, Any]:
        from salestrain.core.negotiation.live import SCRIPTED, LiveError, scripted_move

        row, role = self._my_row(username)
        state = self._state(row)
        now = time.time()
        if kind not in ("offer", "accept", "walk"):
            raise RefusedError(t("hub.table.bad_move", lang=self.lang_of(username)))
        if offer is not None and (not isinstance(offer, list) or not all(isinstance(k, int) for k in offer)):
            raise RefusedError(t("hub.table.bad_offer", lang=self.lang_of(username)))
        try:
            new = state.apply(role, kind, None if offer is None else tuple(offer), now)
        except LiveError as exc:
            late = state.close_if_late(now)
            if late is not state and len(late.moves) > len(state.moves):
                self._store_moves(row.id, late.moves[len(state.moves):])
            raise RefusedError(str(exc)) from None
        self._store_moves(row.id, new.moves[len(state.moves):])
        other = "buyer" if role == "seller" else "seller"
        if getattr(row, other) == SCRIPTED and new.status == "open":
            domain = self._scenario(row.scenario).domain
            reply_kind, reply_offer = scripted_move(domain, other, new, time.time())
            try:
                after = new.apply(other, reply_kind, reply_offer, time.time())
                self._store_moves(row.id, after.moves[len(new.moves):])
                new = after
            except LiveError:
                pass
        return {"status": new.status, "moves": [self._move_json(m) for m in new.moves]}

    def _store_moves(self, table_id: int, moves: Any) -> None:
        for m in moves:
            store.add_move(self.store, table_id, m.seq, m.role, m.kind,
                           None if m.offer is None else list(m.offer), m.at)
        self._touched.add(table_id)

    async def wait_moves(self, username: str, after: int, wait: float) -> dict[str, Any]:
        row, _role = await self.read(self._my_row, username)
        deadline = time.monotonic() + wait
        while True:
            event = self.changed[row.id]
            moves = await self.read(store.table_moves, self.store, row.id, after)
            if moves or time.monotonic() >= deadline:
                state = await self.read(self._state, row)
                return {"status": state.status, "moves": [
                    {"seq": m.seq, "role": m.role, "kind": m.kind,
                     "offer": None if m.offer is None else json.loads(m.offer), "at": m.at} for m in moves]}
            try:
                await asyncio.wait_for(event.wait(), timeout=max(0.01, deadline - time.monotonic()))
            except TimeoutError:
                pass

    def debrief_frame(self) -> tuple[Any, Any]:
        """The current round's debrief, computed once per version of the round."""
        from salestrain.core.negotiation.live import live_debrief

        version = store.round_version(self.store)
        cached = self._debrief.get(("frame", version))
        if cached is not None:
            return cached
        rows = store.current_round(self.store)
        if not rows:
            return None, None
        scenario = self._scenario(rows[0].scenario)
        states = [self._state(r) for r in rows]
        found = (scenario, live_debrief(scenario.domain, states))
        self._debrief = {("frame", version): found}  # older versions are never asked again
        return found

    def _seat(self, username: str, lang: str) -> str:
        from salestrain.core.negotiation.live import SCRIPTED

        return t("hub.table.scripted", lang=lang) if username == SCRIPTED else self.display(username)

    def debrief_rows(self, lang: str) -> dict[str, Any]:
        scenario, frame = self.debrief_frame()
        if frame is None:
            return {"tables": []}
        frame = frame.assign(seller=[self._seat(u, lang) for u in frame.seller],
                             buyer=[self._seat(u, lang) for u in frame.buyer])
        return {"scenario": scenario.name, "tables": json.loads(frame.to_json(orient="records"))}

    def debrief_page(self, lang: str) -> str:
        version = store.round_version(self.store)
        key = ("page", version, lang, len(self.roster()))
        if key not in self._debrief:
            with self.language:
                self._debrief[key] = self._debrief_page(lang)
        return self._debrief[key]

    def _debrief_page(self, lang: str) -> str:
        set_language(lang)
        title = t("hub.debrief.title")
        scenario, frame = self.debrief_frame()
        if frame is None:
            return _page(title, f"<p>{html.escape(t('hub.debrief.no_round'))}</p>", lang, 2000)
        import matplotlib

        matplotlib.use("Agg")
        from matplotlib.figure import Figure

        from salestrain.apps.negotiation import draw_utility_space
        from salestrain.base.formats import format_percent
        from salestrain.plots.style import PALETTE

        scenario = self._scenario(scenario.name, lang)
        # Drawn at about the size it is shown, so its text stays readable from the back row.
        fig = Figure(figsize=(5.2, 4.2))
        ax = fig.add_subplot()
        draw_utility_space(ax, scenario, scenario.title)
        ax.tick_params(labelsize=12)
        ax.xaxis.label.set_size(13)
        ax.yaxis.label.set_size(13)
        ax.title.set_size(13)
        # Each table's offer path: where its offers went before it closed.
        d = scenario.domain
        labelled = False
        for row in store.current_round(self.store):
            offers = [m.offer for m in self._state(row).moves if m.kind == "offer" and m.offer]
            if len(offers) < 2:
                continue
            points = [(d.seller.utility(d.issues, o), d.buyer.utility(d.issues, o)) for o in offers]
            ax.plot([p[0] for p in points], [p[1] for p in points], color=PALETTE[4], lw=1.2, alpha=0.7,
                    marker=".", ms=5, label=None if labelled else t("hub.debrief.paths"))
            labelled = True
        deals = frame[frame.status == "agreed"]
        ax.scatter(deals.u_seller, deals.u_buyer, s=90, color=PALETTE[2], edgecolor="black", zorder=6,
                   label=t("hub.debrief.tables"))
        for _, r in deals.iterrows():
            ax.annotate(r["table"], (r.u_seller, r.u_buyer), fontsize=12, xytext=(4, 4), textcoords="offset points")
        ax.legend(loc="lower left", fontsize=11)
        fig.tight_layout()
        agreed = int((frame.status == "agreed").sum())
        head = "".join(f"<th>{html.escape(t(f'hub.debrief.col.{c}'))}</th>" for c in
                       ("rank", "table", "people", "status", "u_seller", "u_buyer", "discount", "value_traded"))
        body = []
        for _, r in frame.iterrows():
            people = f"{self._seat(r.seller, lang)} / {self._seat(r.buyer, lang)}"
            cells = [r["rank"] if r.status == "agreed" else "", r["table"], people,
                     t(f"hub.debrief.status.{r.status}")]
            nums = [f"{r.u_seller:.2f}" if r.status == "agreed" else "",
                    f"{r.u_buyer:.2f}" if r.status == "agreed" else "",
                    format_percent(r.discount) if r.status == "agreed" and r.discount == r.discount else "",
                    f"{r.value_traded:.2f}" if r.status == "agreed" else ""]
            body.append("<tr>" + "".join(f"<td{' class=state' if k == 3 else ''}>{html.escape(str(c))}</td>"
                                         for k, c in enumerate(cells))
                        + "".join(f"<td class='num'>{c}</td>" for c in nums) + "</tr>")
        live = (f"<p class='what'>{html.escape(t('hub.debrief.what', agreed=agreed, total=len(frame)))}</p>"
                f"<div class='grid'><img alt='' src='data:image/png;base64,{_png(fig)}'>"
                f"<table><tr>{head}</tr>{''.join(body)}</table></div>")
        return live

    # -- polls ------------------------------------------------------------------------------
    def open_poll(self, data: dict[str, Any]) -> dict[str, Any]:
        question = data.get("question")
        if not isinstance(question, dict) or not any(str(v).strip() for v in question.values()):
            raise RefusedError(t("hub.poll.no_question"))
        kind = data.get("kind", "number")
        options = data.get("options") or {}
        if kind not in ("number", "choice") or (kind == "choice" and not options):
            raise RefusedError(t("hub.poll.bad_kind"))
        return {"poll": store.open_poll(self.store, question, kind, options, data.get("answer"))}

    def close_poll(self, data: dict[str, Any]) -> dict[str, Any]:
        return {"closed": store.close_poll(self.store)}

    def poll_for(self, username: str) -> dict[str, Any]:
        row = store.latest_poll(self.store)
        lang = self.lang_of(username)
        if row is None or row.closed_at is not None:
            return {"poll": None}
        question, options = json.loads(row.question), json.loads(row.options)
        return {"poll": row.id, "kind": row.kind,
                "question": question.get(lang) or next(iter(question.values())),
                "options": options.get(lang) or next(iter(options.values()), []) if options else [],
                "mine": store.poll_votes(self.store, row.id).get(username)}

    def vote(self, username: str, value: Any) -> dict[str, Any]:
        row = store.latest_poll(self.store)
        if row is None or row.closed_at is not None:
            raise RefusedError(t("hub.poll.closed", lang=self.lang_of(username)))
        if row.kind == "number":
            if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
                raise RefusedError(t("hub.poll.bad_number", lang=self.lang_of(username)))
        else:
            count = len(next(iter(json.loads(row.options).values()), []))
            if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < count:
                raise RefusedError(t("hub.poll.bad_choice", lang=self.lang_of(username)))
        store.vote(self.store, row.id, username, value)
        return {"poll": row.id, "value": value}

    def poll_results(self, lang: str) -> dict[str, Any]:
        row = store.latest_poll(self.store)
        if row is None:
            return {"poll": None}
        values = list(store.poll_votes(self.store, row.id).values())
        return {"poll": row.id, "kind": row.kind, "closed": row.closed_at is not None,
                "question": json.loads(row.question).get(lang, ""), "votes": values,
                "answer": None if row.answer is None or row.closed_at is None else json.loads(row.answer)}

    def poll_page(self, lang: str) -> str:
        with self.language:
            return self._poll_page(lang)

    def _poll_page(self, lang: str) -> str:
        set_language(lang)
        res = self.poll_results(lang)
        if res["poll"] is None:
            return f"<p>{html.escape(t('hub.poll.none'))}</p>"
        votes = res["votes"]
        answer = res["answer"]
        shown_answer = f"{answer:g}" if isinstance(answer, int | float) else answer
        parts = [f"<p>{html.escape(res['question'])}</p>",
                 f"<p class='what'>{html.escape(t('hub.poll.count', count=len(votes)))}</p>"]
        if answer is not None:
            parts.append(f"<p><b>{html.escape(t('hub.poll.answer', value=str(shown_answer)))}</b></p>")
        if votes and res["kind"] == "number":
            import statistics

            middle = statistics.median(votes)
            parts.append(f"<p>{html.escape(t('hub.poll.median', value=f'{middle:g}'))}</p>")
            parts.append(self._poll_figure(votes, middle, answer if isinstance(answer, int | float) else None))
        elif votes:
            row = store.latest_poll(self.store)
            labels = json.loads(row.options).get(lang) or next(iter(json.loads(row.options).values()))
            counts = [votes.count(i) for i in range(len(labels))]
            parts.append("<table>" + "".join(f"<tr><td>{html.escape(lab)}</td><td class='num'>{n}</td></tr>"
                                             for lab, n in zip(labels, counts, strict=True)) + "</table>")
        return "".join(parts)

    @staticmethod
    def _poll_figure(votes: list[float], middle: float, answer: float | None) -> str:
        """The room's answers as a histogram, the median, and (after the reveal) the answer."""
        import matplotlib

        matplotlib.use("Agg")
        from matplotlib.figure import Figure

        from salestrain.plots.style import PALETTE

        fig = Figure(figsize=(8.0, 3.2))
        ax = fig.add_subplot()
        ax.hist(votes, bins=min(12, max(3, len(set(votes)))), color=PALETTE[0], alpha=0.8,
                label=t("hub.poll.plot.answers"))
        ax.axvline(middle, color=PALETTE[1], lw=2.5, ls="--", label=t("hub.poll.plot.median"))
        if answer is not None:
            ax.axvline(answer, color=PALETTE[2], lw=3, label=t("hub.poll.plot.answer"))
        ax.set_ylabel(t("hub.poll.plot.count"), fontsize=13)
        ax.tick_params(labelsize=12)
        ax.yaxis.get_major_locator().set_params(integer=True)
        ax.legend(fontsize=12, loc="upper left", frameon=False)
        fig.tight_layout()
        what = t("hub.poll.plot.what_revealed" if answer is not None else "hub.poll.plot.what")
        return (f"<img alt='' style='max-width: 900px' src='data:image/png;base64,{_png(fig)}'>"
                f"<p class='what'>{html.escape(what)}</p>")

    # -- the trainer's overview and report -------------------------------------------------------
    def status(self) -> dict[str, Any]:
        rows = store.inbox_rows(self.store)
        return {"learners": len(self.roster()), "released": sorted(store.released(self.store)),

                "submissions": len(rows), "graded": sum(r.graded_at is not None for r in rows),
                "tables": [{"table": r.name, "status": self._state(r).status}
                           for r in store.current_round(self.store)]}

    def survey_page(self, lang: str) -> str:
        """The reaction survey's report for the room (the survey's own report page)."""
        from salestrain.grading.survey import survey_report
        from salestrain.io.survey import SurveyStore, load_survey, survey_file

        exercises = Path(self.settings.project) / "exercises"
        with self.language:
            set_language(lang)
            return survey_report(SurveyStore(self.survey_url(), create=True),
                                 load_survey(survey_file(exercises)), exercises)

    def report_page(self, lang: str) -> str:
        with self.language:
            return self._report_page(lang)

    def _report_page(self, lang: str) -> str:
        from salestrain.grading.gradebook import exercise_id
        from salestrain.grading.report import cohort_report

        set_language(lang)
        groups = {}
        for source in store.released(self.store).values():
            name = exercise_id(Path(source))
            rows = self.book.rows(name)
            if rows:
                groups[name] = rows
        if not groups:
            return f"<p>{html.escape(t('hub.report.empty'))}</p>"
        return cohort_report(groups)


def page(title_key: str, body: str, lang: str) -> str:
    return _page(t(title_key, lang=lang), body, lang, refresh_ms=2000)
