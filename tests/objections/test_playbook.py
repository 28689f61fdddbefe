"""The objection loop (issue 15): reps log, the week is reviewed, the team keeps a playbook."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from salestrain.base.errors import DataError, SalestrainError
from salestrain.base.i18n import set_language
from salestrain.cli.main import main
from salestrain.core.objections.playbook import OUTCOMES, build_playbook, weekly_review
from salestrain.core.objections.vocabulary import FAMILIES
from salestrain.io.objections.log import append_entry, read_log, read_playbook, validate_log

ROOT = Path(__file__).resolve().parents[2]
EXHIBIT = ROOT / "cases" / "pharma-displacement" / "exhibits" / "objection_log.csv"

# A week of one team (Monday 30 Nov to Sunday 6 Dec 2026), typed as reps type: labels in
# either language, the same reply spelt two ways.
WEEK = [
    ("2026-11-30", "Wang", "price", "Too expensive.", "Compared the three-year cost", "resolved"),
    ("2026-11-30", "Li", "price", "Veritas is cheaper.", "Offered 10% off", "worse"),
    ("2026-12-01", "Wang", "price", "Over our budget.", "compared the three-year  cost", "resolved"),
    ("2026-12-01", "Zhao", "价格", "太贵了。", "Offered 10% off", "open"),
    ("2026-12-02", "Li", "technical doubt", "Never seen it in a big lab.", "Offered a free proof-of-concept", "resolved"),
    ("2026-12-02", "Zhao", "技术疑虑", "软件不稳定吧？", "Argued our software is better", "更糟"),
    ("2026-12-03", "Wang", "timing", "Next year.", "Asked what waiting costs them", "resolved"),
    ("2026-12-03", "Li", "timing", "Not now.", "Asked what waiting costs them", "open"),
    ("2026-12-04", "Zhao", "authority", "I must ask my boss.", "Offered to meet the boss together", "已化解"),
    ("2026-12-04", "Wang", "price", "Can you do better?", "Offered 10% off", "worse"),
    # the week before: in the playbook, not in this week's review
    ("2026-11-24", "Li", "competitor comparison", "Veritas does the same.", "Sent a reference", "resolved"),
]


def _log_week(path: Path, rows=WEEK) -> None:
    runner = CliRunner()
    for day, rep, family, objection, reply, outcome in rows:
        done = runner.invoke(main, ["objections", "log", str(path), "--date", day, "--rep", rep, "--family", family,
                                    "--objection", objection, "--reply", reply, "--outcome", outcome])
        assert done.exit_code == 0, done.output


def test_a_week_logged_reviewed_and_kept_round_trips(tmp_path):
    log_file = tmp_path / "objections.csv"
    _log_week(log_file)
    log = read_log(log_file)
    assert len(log) == len(WEEK) and set(log["family"]) <= set(FAMILIES) and set(log["outcome"]) <= set(OUTCOMES)

    review = weekly_review(log, dt.date(2026, 12, 2))
    assert (review.start, review.end, review.objections) == (dt.date(2026, 11, 30), dt.date(2026, 12, 6), 10)
    assert review.by_family == {"price": 5, "technical": 2, "timing": 2, "authority": 1}
    price = [r for r in review.ranked if r.family == "price"]
    # the three-year cost comparison (2 of 2 resolved) beats the discount (0 of 3, 2 worse)
    assert [(r.reply, r.uses, r.resolved, r.worse) for r in price] == [
        ("Compared the three-year cost", 2, 2, 0), ("Offered 10% off", 3, 0, 2)]

    out = CliRunner().invoke(main, ["objections", "review", str(log_file), "--week", "2026-12-02"])
    assert out.exit_code == 0, out.output
    assert out.output.index("Compared the three-year cost") < out.output.index("Offered 10% off")
    assert "Sent a reference" not in out.output  # last week's

    book_file = tmp_path / "playbook.csv"
    written = CliRunner().invoke(main, ["objections", "playbook", str(log_file), "--out", str(book_file)])
    assert written.exit_code == 0, written.output
    book = build_playbook(log)
    assert read_playbook(book_file) == book
    assert {r.reply for r in book.use} == {"Compared the three-year cost", "Offered a free proof-of-concept",
                                           "Asked what waiting costs them", "Offered to meet the boss together",
                                           "Sent a reference"}
    assert {r.reply for r in book.avoid} == {"Offered 10% off", "Argued our software is better"}
    assert book.until == dt.date(2026, 12, 4)


def test_the_team_reads_the_playbook_in_its_language(tmp_path):
    log_file = tmp_path / "objections.csv"
    _log_week(log_file)
    runner = CliRunner()
    try:
        done = runner.invoke(main, ["--lang", "zh_CN", "objections", "playbook", str(log_file),
                                    "--out", str(tmp_path / "手册.md")])
        review = runner.invoke(main, ["--lang", "zh_CN", "objections", "review", str(log_file)])
    finally:
        set_language(None)
    assert done.exit_code == 0 and review.exit_code == 0, done.output + review.output
    page = (tmp_path / "手册.md").read_text(encoding="utf-8")
    assert page.startswith("# 异议应对手册") and "2026年12月4日" in page
    assert "## 价格" in page and "### 要避免的回应" in page
    assert "每周异议复盘：2026年11月30日至2026年12月6日" in review.output


def test_a_playbook_is_never_written_over_without_force(tmp_path):
    log_file = tmp_path / "objections.csv"
    _log_week(log_file, WEEK[:3])
    target = tmp_path / "playbook.md"
    target.write_text("the team's own edits", encoding="utf-8")
    refused = CliRunner().invoke(main, ["objections", "playbook", str(log_file), "--out", str(target)])
    assert isinstance(refused.exception, SalestrainError) and "--force" in str(refused.exception)
    assert target.read_text(encoding="utf-8") == "the team's own edits"


def test_a_bad_row_is_named_and_never_written(tmp_path):
    log_file = tmp_path / "objections.csv"
    _log_week(log_file, WEEK[:2])
    before = log_file.read_bytes()
    with pytest.raises(DataError) as bad:
        append_entry(log_file, day=dt.date(2026, 12, 1), family="weather", objection="It rains.",
                     reply="Sold an umbrella", outcome="resolved")
    assert "'weather'" in str(bad.value.problems[0]) and "price" in str(bad.value.problems[0])
    assert log_file.read_bytes() == before
    log_file.write_text(log_file.read_text(encoding="utf-8") + "2026-12-02,Li,,price,Hm.,Waited,maybe\n",
                        encoding="utf-8")
    with pytest.raises(DataError) as bad:
        read_log(log_file)
    problem = bad.value.problems[0]
    assert (problem.line, problem.field) == (4, "outcome") and "'maybe'" in problem.message


def test_a_bad_row_is_named_in_chinese(tmp_path):
    set_language("zh_CN")
    try:
        with pytest.raises(DataError) as bad:
            validate_log(pd.DataFrame([{"date": "2026-12-01", "family": "天气", "objection": "下雨",
                                        "reply": "卖伞", "outcome": "已化解"}], dtype=str), "记录.csv")
    finally:
        set_language(None)
    assert "'天气' 不是异议类别" in str(bad.value.problems[0]) and "价格" in str(bad.value.problems[0])


def test_the_case_exhibit_is_a_log_and_a_row_added_keeps_its_columns(tmp_path):
    # The pharma case's log says contact_id and response, in its own column order.
    copy = tmp_path / "log.csv"
    copy.write_bytes(EXHIBIT.read_bytes())
    rows = len(read_log(copy))
    append_entry(copy, day=dt.date(2026, 5, 6), family="price", objection="Still too dear.",
                 reply="Offered instalments", outcome="resolved", customer="RK05")
    assert copy.read_text(encoding="utf-8").splitlines()[-1] == \
        "2026-05-06,RK05,price,Still too dear.,Offered instalments,resolved"
    assert len(read_log(copy)) == rows + 1


def test_a_log_excel_saved_in_gbk_stays_gbk(tmp_path):
    log_file = tmp_path / "log.csv"
    log_file.write_bytes("date,family,objection,reply,outcome\n2026-12-01,价格,太贵,对比三年成本,已化解\n"
                         .encode("gb18030"))
    append_entry(log_file, day=dt.date(2026, 12, 2), family="价格", objection="预算不够",
                 reply="提出分期付款", outcome="已化解")
    text = log_file.read_bytes().decode("gb18030")
    assert text.endswith("2026-12-02,价格,预算不够,提出分期付款,已化解\n")
    assert len(read_log(log_file)) == 2


_rows = st.lists(st.tuples(st.integers(0, 13), st.sampled_from(FAMILIES), st.sampled_from(["a", "b", "c", "d"]),
                           st.sampled_from(OUTCOMES)), min_size=1, max_size=40)


def _frame(rows) -> pd.DataFrame:
    return validate_log(pd.DataFrame(
        [{"date": (dt.date(2026, 11, 23) + dt.timedelta(days=d)).isoformat(), "family": f,
          "objection": f"o{k}", "reply": r, "outcome": o} for k, (d, f, r, o) in enumerate(rows)], dtype=str))


@settings(max_examples=60, deadline=None)
@given(rows=_rows, seed=st.randoms())
def test_the_review_counts_every_row_and_ranks_by_net(rows, seed):
    log = _frame(rows)
    review = weekly_review(log, dt.date(2026, 12, 1))
    in_week = [r for r in rows if 7 <= r[0] <= 13]
    assert review.objections == len(in_week) == sum(r.uses for r in review.ranked)
    for result in review.ranked:
        assert result.resolved + result.open + result.worse == result.uses
    for family in FAMILIES:
        nets = [r.net for r in review.ranked if r.family == family]
        assert nets == sorted(nets, reverse=True)
    # the order the rows were typed in changes nothing but the examples
    shuffled = log.sample(frac=1, random_state=seed.randint(0, 10**6)).reset_index(drop=True)
    counts = {(r.family, r.reply, r.uses, r.resolved, r.open, r.worse) for r in build_playbook(log).use}
    again = {(r.family, r.reply, r.uses, r.resolved, r.open, r.worse) for r in build_playbook(shuffled).use}
    assert counts == again


@settings(max_examples=60, deadline=None)
@given(rows=_rows)
def test_the_playbook_keeps_what_worked_and_what_hurt_and_nothing_else(rows):
    book = build_playbook(_frame(rows))
    assert all(r.net > 0 for r in book.use) and all(r.net < 0 for r in book.avoid)
    kept = {(r.family, r.reply) for r in (*book.use, *book.avoid)}
    for family, reply in {(f, r) for _, f, r, _ in rows}:
        outcomes = [o for _, f, r, o in rows if (f, r) == (family, reply)]
        assert ((family, reply) in kept) == (outcomes.count("resolved") != outcomes.count("worse"))
