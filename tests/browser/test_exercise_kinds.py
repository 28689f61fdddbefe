"""No-code exercises in learner mode, in a real browser: one exercise with every question
kind, answered through its real widgets (radio buttons, check boxes, drop-downs, toggle
buttons, text and number boxes, the slider), checked, restored after a reload (a new
kernel), handed in, and shown in Chinese without one English phrase.

The project is a small one built in ``tmp_path`` (two lessons and the exercise), so the
site ``salestrain learn`` builds stays small and the page starts quickly.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
import yaml

from salestrain.apps.questions import parse_number
from tests.browser.conftest import ROOT, free_port, serve
from tests.language import english_phrases

SHOTS = Path("/tmp/shots")
EXERCISE = "funnel_all_kinds"  # the id its answers carry
PAGE = "funnel__all_kinds"  # its page in the learner site
LESSONS = ("00_start_here", "01_funnel_forecasting")
TITLE = {"en": "Exercise: every question kind", "zh_CN": "练习：所有题型"}
HIDDEN = {"text", "decision"}  # graded by the trainer after Submit


def o(oid: str, en: str, zh: str, **extra) -> dict:
    return {"id": oid, "text": {"en": en, "zh_CN": zh}, **extra}


def c(cid: str, en: str, zh: str, en_phrases: list[str], zh_phrases: list[str]) -> dict:
    return {"id": cid, "name": {"en": en, "zh_CN": zh}, "phrases": {"en": en_phrases, "zh_CN": zh_phrases}}


# One question per kind, in page order. Every text a learner reads is bilingual.
QUESTIONS: dict[str, dict] = {
    "number": {"kind": "number", "points": 2, "answer": 1105000, "tolerance": 500,
               "unit": {"en": "RMB", "zh_CN": "元"},
               "prompt": {"en": "What is the weighted forecast of December?", "zh_CN": "12 月的加权预测是多少？"}},
    "choice": {"kind": "choice", "prompt": {"en": "Which stage has the highest probability?",
                                            "zh_CN": "哪个阶段的赢单概率最高？"},
               "options": [o("negotiation", "Negotiation", "谈判", credit=1),
                           o("proposal", "Proposal", "方案"), o("qualified", "Qualified", "已确认需求")]},
    "reply": {"kind": "reply", "prompt": {"en": "The buyer says the price is too high. Your reply?",
                                          "zh_CN": "客户说价格太高。你怎么回应？"},
              "options": [o("ask", "Ask what they compare the price with", "先问对方拿什么和这个价格比", credit=1),
                          o("cut", "Offer ten percent off at once", "马上让价一成")]},
    "multi": {"kind": "multi", "prompt": {"en": "Which deals are commit deals?", "zh_CN": "哪些单属于确定成交？"},
              "options": [o("redleaf", "Redleaf Bank", "红叶银行"), o("jadeport", "Jadeport Logistics", "玉港物流"),
                          o("lakeside", "Lakeside Clinics", "湖畔诊所")],
              "correct": ["redleaf", "lakeside"]},
    "ordering": {"kind": "ordering", "prompt": {"en": "Put the funnel stages in order, first stage first.",
                                                "zh_CN": "按先后顺序排列漏斗阶段。"},
                 "items": [o("lead", "Lead", "线索"), o("proposal", "Proposal", "方案"),
                           o("contract", "Contract", "合同")]},
    "classify": {"kind": "classify", "prompt": {"en": "Sort the deals into forecast categories.",
                                                "zh_CN": "把这些单归入预测类别。"},
                 "categories": [o("commit", "Commit", "确定成交"), o("upside", "Upside", "争取成交"),
                                o("pipeline", "Pipeline", "储备商机")],
                 "items": [o("redleaf", "Redleaf Bank", "红叶银行"), o("jadeport", "Jadeport Logistics", "玉港物流")],
                 "answer": {"redleaf": "commit", "jadeport": "pipeline"}},
    "grid": {"kind": "grid", "prompt": {"en": "Place the rep on the capability and willingness matrix.",
                                        "zh_CN": "把这位销售放到能力/意愿矩阵上。"},
             "columns": [o("low_cap", "Low capability", "能力低"), o("high_cap", "High capability", "能力高")],
             "rows": [o("low_will", "low willingness", "意愿低"), o("high_will", "high willingness", "意愿高")],
             "items": [o("lin", "Lin Tao", "林涛")], "answer": {"lin": ["high_cap", "low_will"]}},
    "text": {"kind": "text", "prompt": {"en": "Write a first reply to a buyer who doubts your delivery date.",
                                        "zh_CN": "客户怀疑你们的交期，写一句开场回应。"},
             "concepts": [c("ack", "acknowledge", "认同", ["understand"], ["理解"])]},
    "estimate": {"kind": "estimate", "prompt": {"en": "Give a range for next month's revenue, in thousand RMB.",
                                                "zh_CN": "给出下月收入的区间（千元）。"},
                 "answer": 950, "scale": 400},
    "probability": {"kind": "probability", "answer": 0.3,
                    "prompt": {"en": "How likely is December to reach its target?",
                               "zh_CN": "12 月完成目标的可能性有多大？"}},
    "decision": {"kind": "decision", "prompt": {"en": "Where do you spend two days this week, and why?",
                                                "zh_CN": "本周的两天时间投给哪个客户？为什么？"},
                 "options": [o("lakeside", "Lakeside Clinics", "湖畔诊所", credit=1),
                             o("redleaf", "Redleaf Bank", "红叶银行")],
                 "justification": [c("size", "size", "金额", ["largest"], ["最大"])]},
    "offer": {"kind": "offer", "points": 4, "scenario": "doubting-technology", "side": "seller",
              "max_discount": 0.05,
              "prompt": {"en": "As Vireo, build the package you would propose.",
                         "zh_CN": "以维瑞传感的身份，拼出你要提出的方案。"}},
}

# The answers a learner gives on the page, by option id (shown in the page's language).
ANSWERS = {
    "number": 1105000, "choice": "negotiation", "reply": "ask", "multi": ["lakeside", "redleaf"],
    "ordering": ["lead", "proposal", "contract"], "classify": {"redleaf": "commit", "jadeport": "pipeline"},
    "grid": {"lin": ["high_cap", "low_will"]},
    "text": {"en": "I understand: let us look at the plan together.", "zh_CN": "我理解您的担心，我们一起看看计划。"},
    "estimate": {"low": 800, "high": 1100}, "probability": 0.3,
    "decision": {"choice": "lakeside", "why": {"en": "It is the largest deal still open.",
                                               "zh_CN": "这是还没关的单里金额最大的一单。"}},
}
# The offer, by option position in each issue (what doubting-technology's issues list).
OFFER = {"price": 1, "poc": 2, "rollout": 2, "support": 0}


def _cell(cell_type: str, source: str, cid: str, tags: list[str] | None = None) -> dict:
    cell = {"cell_type": cell_type, "id": cid, "metadata": {"tags": tags} if tags else {}, "source": source}
    if cell_type == "code":
        cell.update(outputs=[], execution_count=None)
    return cell


def exercise_notebook(lang: str) -> dict:
    cells = [_cell("code", f"from salestrain.apps.exercise import answer_sheet, submit_button\n"
                           f"answer_sheet({EXERCISE!r})", "setup", ["learner:hide"]),
             _cell("markdown", f"# {TITLE[lang]}", "title")]
    for qid, body in QUESTIONS.items():
        header = f"%%question {qid}{' hidden' if qid in HIDDEN else ''}\n"
        cells.append(_cell("code", header + yaml.safe_dump(body, allow_unicode=True, sort_keys=False), qid))
    cells.append(_cell("code", "submit_button()", "submit"))
    return {"cells": cells, "nbformat": 4, "nbformat_minor": 5,
            "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}}


def small_project(root: Path) -> Path:
    """Two lessons in both languages and the exercise: what find_project_root() accepts."""
    (root / "salestrain").mkdir(parents=True)
    (root / "notebooks" / "zh_CN").mkdir(parents=True)
    for name in LESSONS:
        shutil.copy(ROOT / "notebooks" / f"{name}.ipynb", root / "notebooks")
        shutil.copy(ROOT / "notebooks" / "zh_CN" / f"{name}.ipynb", root / "notebooks" / "zh_CN")
    folder = root / "exercises" / "funnel"
    folder.mkdir(parents=True)
    for lang, name in (("en", "all_kinds.ipynb"), ("zh_CN", "all_kinds.zh_CN.ipynb")):
        (folder / name).write_text(json.dumps(exercise_notebook(lang), ensure_ascii=False, indent=1),
                                   encoding="utf-8")
    return root


@contextmanager
def learn(tmp_path: Path, lang: str, monkeypatch):
    project = small_project(tmp_path / "project")
    monkeypatch.setenv("SALESTRAIN_DATA_DIR", str(tmp_path / "data"))  # serve() passes os.environ on
    monkeypatch.setenv("SALESTRAIN_COLLECT", str(tmp_path / "collect"))
    port = free_port()
    # the console script, not `python -m`: that would put the project's (empty) salestrain/
    # folder first on the import path
    # The default cap of 3 kernels: index -> exercise -> reload -> index opens 4 pages, so
    # this also checks that a page the learner left frees its kernel at once (Voila's own
    # shutdown request is refused, voila-dashboards/voila#1458; projector_kernels.py).
    args = [str(Path(sys.executable).with_name("salestrain")), "--lang", lang, "learn", "--no-open",
            "--port", str(port), "--learner", "Ana"]
    with serve(args, f"http://127.0.0.1:{port}/voila/static/voila.js", project, tmp_path / "learn.log"):
        yield f"http://127.0.0.1:{port}/voila/render/{lang}/index.ipynb"


# -- reading and driving the page ---------------------------------------------------------


def text_of(value, lang: str) -> str:
    return value[lang] if isinstance(value, dict) else str(value)


def option_text(qid: str, key: str, oid: str, lang: str) -> str:
    return text_of(next(x for x in QUESTIONS[qid][key] if x["id"] == oid)["text"], lang)


def cards(page) -> dict:
    """Each question's card (prompt, widget, Check, feedback), by question id."""
    prompts = page.locator(".salestrain-prompt")
    assert prompts.count() == len(QUESTIONS), prompts.count()
    return {qid: prompts.nth(k).locator(
        "xpath=ancestor::div[contains(concat(' ', normalize-space(@class), ' '), ' widget-vbox ')][1]")
        for k, qid in enumerate(QUESTIONS)}


def labelled(card, selector: str) -> dict[str, object]:
    """The card's widgets of one kind by their label (description) text."""
    rows = card.locator(selector)
    return {rows.nth(k).locator("label.widget-label").inner_text().strip(): rows.nth(k)
            for k in range(rows.count())}


def offer_labels(lang: str) -> tuple[dict[str, str], dict[str, list[str]]]:
    """The issue labels and option texts the offer's drop-downs show in ``lang``."""
    from salestrain.io.negotiation import load_scenario

    scenario = load_scenario("doubting-technology", lang=lang)
    return scenario.issue_labels, {i.name: list(i.options) for i in scenario.domain.issues}


def type_number(box, value) -> None:
    box.fill(str(value))
    box.press("Tab")  # leave the box, as a learner does


def answer(page, card, qid: str, lang: str) -> None:
    """Give ``ANSWERS[qid]`` through the widget a learner uses."""
    kind = QUESTIONS[qid]["kind"]
    given = ANSWERS.get(qid)
    if kind == "number":
        type_number(card.locator(".widget-text input"), given)
    elif kind in ("choice", "reply"):
        card.locator(".widget-radio-box label", has_text=option_text(qid, "options", given, lang)).click()
    elif kind == "multi":
        for oid in given:
            card.locator(".widget-checkbox", has_text=option_text(qid, "options", oid, lang)) \
                .locator("input[type=checkbox]").check()
    elif kind == "ordering":
        rows = labelled(card, ".widget-dropdown")
        for rank, iid in enumerate(given, start=1):
            rows[option_text(qid, "items", iid, lang)].locator("select").select_option(label=str(rank))
    elif kind == "classify":
        rows = labelled(card, ".widget-toggle-buttons")
        for iid, cat in given.items():
            rows[option_text(qid, "items", iid, lang)].locator(
                "button", has_text=option_text(qid, "categories", cat, lang)).click()
    elif kind == "grid":
        rows = labelled(card, ".widget-dropdown")
        for iid, (col, row) in given.items():
            cell = f"{option_text(qid, 'columns', col, lang)} · {option_text(qid, 'rows', row, lang)}"
            rows[option_text(qid, "items", iid, lang)].locator("select").select_option(label=cell)
    elif kind == "text":
        card.locator("textarea").fill(given[lang])
    elif kind == "estimate":
        boxes = card.locator(".widget-text input")
        type_number(boxes.nth(0), given["low"])
        type_number(boxes.nth(1), given["high"])
    elif kind == "probability":
        handle = card.locator(".noUi-handle")
        handle.click()
        for _ in range(round((0.5 - given) / 0.01)):  # from 50% down to 30%, one step a press
            handle.press("ArrowLeft")
    elif kind == "decision":
        card.locator(".widget-radio-box label", has_text=option_text(qid, "options", given["choice"], lang)).click()
        card.locator("textarea").fill(given["why"][lang])
    elif kind == "offer":
        labels, options = offer_labels(lang)
        rows = labelled(card, ".widget-dropdown")
        for issue, k in OFFER.items():
            rows[labels[issue]].locator("select").select_option(label=options[issue][k])


def shown(card, qid: str, lang: str) -> object:
    """The answer the card's widgets show, in the shape of ``ANSWERS[qid]``."""
    kind = QUESTIONS[qid]["kind"]
    ids = {text_of(x["text"], lang): x["id"] for key in ("options", "items", "categories", "columns", "rows")
           for x in QUESTIONS[qid].get(key, [])}

    def checked_radio():
        label = card.locator(".widget-radio-box label:has(input:checked)")
        return ids[label.inner_text().strip()] if label.count() else None

    if kind == "number":
        return parse_number(card.locator(".widget-text input").input_value())
    if kind in ("choice", "reply"):
        return checked_radio()
    if kind == "multi":
        boxes = card.locator(".widget-checkbox")
        return sorted(ids[boxes.nth(k).inner_text().strip()] for k in range(boxes.count())
                      if boxes.nth(k).locator("input").is_checked())
    if kind == "ordering":
        rows = labelled(card, ".widget-dropdown")
        ranks = {ids[label]: row.locator("select").input_value()
                 for label, row in rows.items()}
        return sorted(ranks, key=lambda iid: int(ranks[iid]))
    if kind == "classify":
        return {ids[label]: ids[row.locator("button.mod-active").inner_text().strip()]
                for label, row in labelled(card, ".widget-toggle-buttons").items()
                if row.locator("button.mod-active").count()}
    if kind == "grid":
        out = {}
        for label, row in labelled(card, ".widget-dropdown").items():
            col, r = row.locator("select").input_value().split(" · ")
            out[ids[label]] = [ids[col], ids[r]]
        return out
    if kind == "text":
        return {lang: card.locator("textarea").input_value()}
    if kind == "estimate":
        boxes = card.locator(".widget-text input")
        return {"low": parse_number(boxes.nth(0).input_value()), "high": parse_number(boxes.nth(1).input_value())}
    if kind == "probability":
        return card.locator(".widget-readout").inner_text().strip()
    if kind == "decision":
        return {"choice": checked_radio(), "why": {lang: card.locator("textarea").input_value()}}
    if kind == "offer":
        labels, options = offer_labels(lang)
        rows = labelled(card, ".widget-dropdown")
        return {issue: options[issue].index(rows[labels[issue]].locator("select").input_value()) for issue in OFFER}
    raise AssertionError(kind)


def expected_on_page(qid: str, lang: str) -> object:
    given = ANSWERS.get(qid)
    if qid == "offer":
        return OFFER
    if qid == "number":
        return float(given)
    if qid == "multi":
        return sorted(given)
    if qid == "text":
        return {lang: given[lang]}
    if qid == "estimate":
        return {k: float(v) for k, v in given.items()}
    if qid == "probability":
        return f"{given:.0%}"
    if qid == "decision":
        return {"choice": given["choice"], "why": {lang: given["why"][lang]}}
    return given


def check_and_read(page, card, lang: str) -> str:
    from salestrain.base.i18n import t

    card.locator("button", has_text=t("kinds.ui.check", lang=lang)).click()
    feedback = card.locator(".salestrain-feedback")
    feedback.wait_for(timeout=15_000)
    return feedback.inner_text()


def open_exercise(page, index: str) -> None:
    page.goto(index)
    page.wait_for_selector(".salestrain-learner .exercises a", timeout=60_000)
    page.locator(".salestrain-learner .exercises a").first.click()
    wait_for_exercise(page)


def wait_for_exercise(page) -> None:
    page.wait_for_selector(".salestrain-submit button", timeout=90_000)  # the last cell ran
    page.wait_for_function(f"() => document.querySelectorAll('.salestrain-prompt').length == {len(QUESTIONS)}")


def assert_no_code(page) -> None:
    body = page.inner_text("body")
    assert "Traceback" not in body and "import " not in body and "%%question" not in body, body[:2000]
    assert page.locator(".jp-InputArea-editor:visible, .cm-editor:visible").count() == 0


def shoot(page, tmp_path: Path, name: str) -> None:
    page.set_viewport_size({"width": 1280, "height": 720})
    page.locator(".salestrain-nav").first.scroll_into_view_if_needed()  # the page's top
    page.wait_for_timeout(200)
    path = tmp_path / name
    page.screenshot(path=str(path))
    SHOTS.mkdir(exist_ok=True)
    shutil.copy(path, SHOTS / name)


# -- the tests ------------------------------------------------------------------------------




def test_a_learner_answers_every_kind_checks_reloads_and_hands_in(page720, tmp_path, monkeypatch):
    from salestrain.base.i18n import t

    page = page720
    timings = {}
    start = time.monotonic()
    with learn(tmp_path, "en", monkeypatch) as index:
        timings["server"] = time.monotonic() - start
        open_exercise(page, index)
        timings["page"] = time.monotonic() - start
        assert TITLE["en"] in page.inner_text("body")
        assert_no_code(page)
        graded_later = t("kinds.ui.graded_later", lang="en")
        for qid, card in cards(page).items():
            answer(page, card, qid, "en")
            feedback = check_and_read(page, card, "en")
            if qid in HIDDEN:
                assert graded_later in feedback and " point" not in feedback, (qid, feedback)
            else:
                # "1 of 1 point", "1.5 of 2 points": the noun agrees with the maximum
                score = re.search(r"\d+(\.\d+)? of (\d+(\.\d+)?) (points?)\b", feedback)
                assert score and (score.group(4) == "point") == (score.group(2) == "1"), (qid, feedback)
                assert "✓" in feedback or "✗" in feedback, (qid, feedback)
        timings["answered"] = time.monotonic() - start
        shoot(page, tmp_path, "exercise-kinds-en.png")

        # A reload is a new kernel: every answer comes back from the learner's answer book.
        page.reload()
        wait_for_exercise(page)
        for qid, card in cards(page).items():
            assert shown(card, qid, "en") == expected_on_page(qid, "en"), qid
        timings["restored"] = time.monotonic() - start

        page.locator(".salestrain-submit button").click()
        page.wait_for_function("() => document.querySelector('.salestrain-submit').innerText.includes('Handed in')")
        handed_in = tmp_path / "collect" / EXERCISE / "Ana.answers.json"
        data = json.loads(handed_in.read_text(encoding="utf-8"))
        assert data["learner"] == "Ana" and data["exercise"] == EXERCISE
        answers = data["answers"]
        assert set(answers) == set(QUESTIONS), answers
        assert answers["number"] == 1105000 and answers["choice"] == "negotiation" and answers["reply"] == "ask"
        assert answers["multi"] == ["lakeside", "redleaf"]
        assert answers["ordering"] == ["lead", "proposal", "contract"]
        assert answers["classify"] == {"redleaf": "commit", "jadeport": "pipeline"}
        assert answers["grid"] == {"lin": ["high_cap", "low_will"]}
        assert answers["text"] == ANSWERS["text"]["en"]
        assert answers["estimate"] == {"low": 800, "high": 1100}
        assert answers["probability"] == pytest.approx(0.3)
        assert answers["decision"] == {"choice": "lakeside", "why": ANSWERS["decision"]["why"]["en"]}
        _, options = offer_labels("en")
        assert answers["offer"] == dict(OFFER)  # positions: the same package in every language

        page.locator(".salestrain-nav a", has_text=t("learner.nav.index", lang="en")).click()
        page.wait_for_selector(".salestrain-learner .exercises li", timeout=60_000)
        item = page.locator(".salestrain-learner .exercises li", has_text=TITLE["en"])
        assert "handed in" in item.inner_text()
        timings["handed_in"] = time.monotonic() - start

        # the learner's own report, graded from what they handed in: no trainer, no code
        page.locator(".salestrain-learner a", has_text=t("learner.index.report", lang="en")).click()
        report = page.frame_locator("iframe.salestrain-report")
        report.locator("h1").wait_for(timeout=90_000)
        text = report.locator("body").inner_text()
        assert "funnel/all_kinds" in text and "Graded exercises" in text, text
        assert "Traceback" not in page.inner_text("body")
        timings["report"] = time.monotonic() - start
    print("timings (s from start):", {k: round(v, 1) for k, v in timings.items()})


def test_the_exercise_in_chinese_shows_no_english(page720, tmp_path, monkeypatch):
    from salestrain.base.i18n import t

    page = page720
    with learn(tmp_path, "zh_CN", monkeypatch) as index:
        open_exercise(page, index)
        body = page.inner_text("body")
        assert TITLE["zh_CN"] in body
        for body_ in QUESTIONS.values():
            assert body_["prompt"]["zh_CN"] in body, body_["prompt"]["zh_CN"]
        assert english_phrases(body) == [], english_phrases(body)
        assert "价格" in body and "首单覆盖" in body  # the offer's issues by their Chinese labels
        assert_no_code(page)
        # Checks answer in Chinese too, public and hidden alike.
        shown_cards = cards(page)
        for qid in ("number", "ordering", "offer", "text"):
            answer(page, shown_cards[qid], qid, "zh_CN")
            feedback = check_and_read(page, shown_cards[qid], "zh_CN")
            if qid in HIDDEN:
                assert t("kinds.ui.graded_later", lang="zh_CN") in feedback
            else:
                assert re.search(r"满分 \d+ 分，得 [\d.]+ 分", feedback), feedback
        body = page.inner_text("body")
        assert english_phrases(body) == [], english_phrases(body)
        shoot(page, tmp_path, "exercise-kinds-zh_CN.png")
