"""The market game in a real browser at 1280x720: solo in English, a class in Chinese.

The app is served as projector mode serves it (the projector style, outputs only). A
test commits plans by clicking, waits for the market's answer, checks that the key
figure is above the fold, and saves screenshots (to $SALESTRAIN_SHOTS when set, for a
person to look at).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import nbformat
import pytest

from salestrain.cli.projector import PROJECTOR_CSS
from tests.browser.support_workshop import APP, wait_for_app
from tests.language import english_phrases

SHARE_FIGURE = f"{APP} img.salestrain-figure >> nth=1"  # the drivers figure comes first in the page
DRIVER_FIGURE = f"{APP} img.salestrain-figure >> nth=0"


def notebook(folder: Path, lang: str, call: str) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_code_cell("\n".join([
        "import salestrain",
        "from IPython.display import HTML, display",
        "from salestrain.apps.strategy import market_app",
        f"salestrain.set_language({lang!r})",
        f"display(HTML({PROJECTOR_CSS!r}))",
        f"app = {call}",
        "display(app.widget)",
    ])))
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = folder / f"market-{lang}.ipynb"
    nbformat.write(nb, path)
    return path


def shoot(page, tmp_path: Path, name: str) -> None:
    path = tmp_path / f"{name}.png"
    page.screenshot(path=str(path))  # the screen as the room sees it: 1280x720, no scrolling
    assert path.stat().st_size > 10_000
    if os.environ.get("SALESTRAIN_SHOTS"):
        Path(os.environ["SALESTRAIN_SHOTS"]).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(os.environ["SALESTRAIN_SHOTS"]) / path.name)


def click(page, label: str) -> None:
    page.locator(f"{APP} button.widget-button", has_text=label).first.click()


def wait_text(page, selector: str, text: str, timeout: float = 20_000) -> None:
    page.locator(selector, has_text=text).first.wait_for(timeout=timeout)


def above_the_fold(page, selector: str) -> bool:
    box = page.locator(selector).bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= 720


@pytest.mark.parametrize("lang", ["en"])
def test_a_solo_learner_commits_and_sees_the_market_answer(voila, page720, tmp_path, lang):
    url = voila(notebook(tmp_path, lang, "market_app()"))
    page = page720
    page.goto(url)
    wait_for_app(page)
    wait_text(page, f"{APP} .salestrain-market-reveal", "No quarter played yet")
    assert above_the_fold(page, SHARE_FIGURE)
    shoot(page, tmp_path, "market-solo-start-en")
    before = page.locator(SHARE_FIGURE).get_attribute("src")
    click(page, "Commit the plan")
    wait_text(page, f"{APP} .salestrain-market-reveal", "Quarter 1, Your team")
    click(page, "Commit the plan")
    wait_text(page, f"{APP} .salestrain-market-reveal", "Quarter 2, Your team")
    wait_text(page, f"{APP} .salestrain-market-board", "after quarter 2")
    assert page.locator(SHARE_FIGURE).get_attribute("src") != before
    assert above_the_fold(page, SHARE_FIGURE)
    assert above_the_fold(page, f"{APP} .salestrain-market-board table")
    assert "Traceback" not in page.inner_text("body")
    shoot(page, tmp_path, "market-solo-q2-en")
    for quarter in (3, 4, 5, 6):
        click(page, "Commit the plan")
        wait_text(page, f"{APP} .salestrain-market-board", f"after quarter {quarter}")
    wait_text(page, f"{APP} .salestrain-market-debrief", "Debrief for Your team")
    page.wait_for_timeout(500)  # the drivers' picture follows the text
    shoot(page, tmp_path, "market-solo-debrief-en")
    assert above_the_fold(page, f"{APP} img.salestrain-figure >> nth=0")
    assert above_the_fold(page, f"{APP} .salestrain-market-swot")
    assert above_the_fold(page, SHARE_FIGURE)  # five teams: the trend stays, at 3/4
    assert above_the_fold(page, f"{APP} .salestrain-market-contribution")


def test_a_class_plays_in_chinese_to_the_debrief(voila, page720, tmp_path):
    url = voila(notebook(tmp_path, "zh_CN", "market_app(teams=['北区', '南区', '东区', '西区'], quarters=4)"))
    page = page720
    page.goto(url)
    wait_for_app(page)
    wait_text(page, f"{APP} .salestrain-market-status", "现在由北区做计划")
    shoot(page, tmp_path, "market-class-start-zh")
    empty_drivers = page.locator(DRIVER_FIGURE).get_attribute("src")
    for team in ("南区", "东区", "西区"):
        click(page, "提交本团队计划")
        wait_text(page, f"{APP} .salestrain-market-status", f"现在由{team}做计划")
    click(page, "提交本团队计划")
    wait_text(page, f"{APP} .salestrain-market-board", "第 1 季度后排行榜")
    assert above_the_fold(page, SHARE_FIGURE)
    assert above_the_fold(page, f"{APP} .salestrain-market-board table")
    shoot(page, tmp_path, "market-class-board-zh")
    for quarter in (2, 3, 4):
        click(page, "立即开打本季度")
        wait_text(page, f"{APP} .salestrain-market-board", f"第 {quarter} 季度后排行榜")
    wait_text(page, f"{APP} .salestrain-market-debrief", "复盘")
    page.wait_for_function("([sel, src]) => document.querySelectorAll(sel)[0].src !== src",
                           arg=[f"{APP} img.salestrain-figure", empty_drivers])
    assert above_the_fold(page, DRIVER_FIGURE)
    text = page.inner_text(APP)
    assert "根据你的结果做的 SWOT" in text and "毛利率" in text
    assert english_phrases(text) == []
    shoot(page, tmp_path, "market-class-debrief-zh")
    # Seven teams: the trend gives way to the segments at the debrief, and the SWOT and
    # the segments' table, the last things of the debrief, are on the screen.
    assert not page.locator(SHARE_FIGURE).is_visible()
    assert above_the_fold(page, f"{APP} .salestrain-market-swot")
    assert above_the_fold(page, f"{APP} .salestrain-market-contribution")
