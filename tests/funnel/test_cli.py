"""``salestrain forecast`` on the sample and on the malformed CSV."""

import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from salestrain.base import i18n
from salestrain.cli.main import main
from salestrain.core.funnel import forecast, in_period
from salestrain.io.funnel import data_path, sample_pipeline

SAMPLE = str(data_path("sample_pipeline.csv"))


def test_forecast_prints_weighted_quantiles_and_exact_p_hit(tmp_path):
    out_png = tmp_path / "f.png"
    result = CliRunner().invoke(main, ["forecast", SAMPLE, "--target", "1000000", "--month",
                                       "2026-12", "--plot", str(out_png)])
    assert result.exit_code == 0, result.output
    dec = in_period(sample_pipeline(), "2026-12")
    fc = forecast(dec["amount"], dec["probability"], 1_000_000)
    assert f"{len(dec)} deals" in result.output
    assert f"Weighted forecast      RMB {fc.weighted.mean:,.0f}" in result.output
    assert f"RMB {fc.p10:,.0f} / RMB {fc.p50:,.0f} / RMB {fc.p90:,.0f}" in result.output
    assert f"P(revenue >= RMB 1,000,000)  {fc.p_hit:.1%}  (exact)" in result.output
    assert "commit" in result.output and "omitted" in result.output
    assert out_png.read_bytes()[:4] == b"\x89PNG"


def test_forecast_in_chinese_counts_money_in_wan():
    result = CliRunner().invoke(main, ["--lang", "zh_CN", "forecast", SAMPLE, "--target", "1000000",
                                       "--month", "2026-12"])
    try:
        assert result.exit_code == 0, result.output
        dec = in_period(sample_pipeline(), "2026-12")
        fc = forecast(dec["amount"], dec["probability"], 1_000_000)
        assert f"¥{fc.weighted.mean / 10_000:.2f}".rstrip("0").rstrip(".") + "万" in result.output
        assert "P(收入 >= ¥100万)" in result.output
    finally:
        from salestrain.base.i18n import set_language

        set_language(None)


def test_slippage_and_correlation_lower_or_spread_the_forecast():
    base = CliRunner().invoke(main, ["forecast", SAMPLE, "--target", "1000000", "--month", "2026-12"])
    slip = CliRunner().invoke(main, ["forecast", SAMPLE, "--target", "1000000", "--month", "2026-12",
                                     "--slip-days", "10"])
    corr = CliRunner().invoke(main, ["forecast", SAMPLE, "--target", "1000000", "--correlation",
                                     "0.3", "--seed", "3"])
    assert slip.exit_code == 0 and corr.exit_code == 0

    def weighted(text):
        line = next(x for x in text.splitlines() if x.startswith("Weighted forecast"))
        return float(line.split()[3].replace(",", ""))  # Weighted forecast RMB 986,500

    assert weighted(slip.output) < weighted(base.output)
    assert "Monte Carlo" in corr.output


def test_malformed_file_gives_lines_and_no_traceback():
    bad = str(data_path("malformed_pipeline.csv"))
    proc = subprocess.run([sys.executable, "-m", "salestrain", "forecast", bad, "--target", "1"],
                          capture_output=True, text=True)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert f"{bad}:3: stage: unknown stage 'closing'" in proc.stderr
    assert f"{bad}:8: deal_id: duplicate id" in proc.stderr


@pytest.mark.parametrize("args, message", [
    (["--month", "2030-01"], "no deals expected to close in 2030-01"),
    (["--month", "Dec"], "write it as YYYY-MM"),
])
def test_user_errors_are_named(args, message):
    result = CliRunner().invoke(main, ["forecast", SAMPLE, "--target", "1", *args])
    assert result.exit_code != 0
    assert message in str(result.exception) + result.output


def test_missing_file_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(main, ["forecast", str(tmp_path / "nope.csv"), "--target", "1"])
    assert result.exit_code != 0
    assert "does not exist" in str(result.exception)


def test_history_adds_a_time_aware_forecast_from_the_transition_model():
    from salestrain.core.funnel import fit_transitions, p_close_within
    from salestrain.io.funnel import sample_history

    history = str(data_path("sample_history.csv"))
    result = CliRunner().invoke(main, ["forecast", SAMPLE, "--target", "1000000", "--month",
                                       "2026-12", "--history", history, "--as-of", "2026-12-16"])
    assert result.exit_code == 0, result.output
    dec = in_period(sample_pipeline(), "2026-12")
    p = p_close_within(fit_transitions(sample_history()), dec, 16)  # 16 Dec to 31 Dec
    expected = forecast(dec["amount"], p, 1_000_000)
    assert f"Time-aware forecast    RMB {expected.weighted.mean:,.0f}, P(hit) {expected.p_hit:.1%}" in result.output
    assert "16 days left" in result.output
    assert expected.weighted.mean < forecast(dec["amount"], dec["probability"], 1).weighted.mean

    no_month = CliRunner().invoke(main, ["forecast", SAMPLE, "--target", "1", "--history", history])
    assert no_month.exit_code != 0 and "--history needs --month" in str(no_month.exception)
    assert "Weighted forecast" not in no_month.output  # refused before printing anything


def test_a_bad_as_of_is_refused_before_any_output():
    history = str(data_path("sample_history.csv"))
    result = CliRunner().invoke(main, ["forecast", SAMPLE, "--target", "1", "--month", "2026-12",
                                       "--history", history, "--as-of", "yesterday"])
    assert result.exit_code != 0
    assert "--as-of 'yesterday' is not a date; write it as YYYY-MM-DD" in str(result.exception)
    assert "Weighted forecast" not in result.output
    late = CliRunner().invoke(main, ["forecast", SAMPLE, "--target", "1", "--month", "2026-12",
                                     "--history", history, "--as-of", "2027-01-02"])
    assert "is after the end of 2026-12" in str(late.exception)
    assert "Weighted forecast" not in late.output


@pytest.mark.parametrize("how", ["env", "option"])
def test_malformed_file_in_chinese_names_every_line_column_and_value(how):
    bad = str(data_path("malformed_pipeline.csv"))
    # The language goes to the child process only: this test process stays in English.
    env = {k: v for k, v in os.environ.items() if k != i18n.ENV_VAR}
    lang = []
    if how == "env":
        env[i18n.ENV_VAR] = "zh_CN"
    else:
        lang = ["--lang", "zh_CN"]
    proc = subprocess.run([sys.executable, "-m", "salestrain", *lang, "forecast", bad, "--target", "1"],
                          capture_output=True, text=True, encoding="utf-8", env=env)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert f"{bad} 有 5 处问题" in proc.stderr
    assert f"{bad}:3: stage: 未知阶段 'closing'" in proc.stderr
    assert f"{bad}:4: amount: '-45000' 是负数" in proc.stderr
    assert f"{bad}:5: amount: 缺少金额" in proc.stderr
    assert f"{bad}:6: expected_close: '31/02/2026' 不是日期" in proc.stderr
    assert f"{bad}:8: deal_id: 编号 'D0006' 重复（首次出现在第 7 行）" in proc.stderr
    assert i18n.get_language() == "en"
