import os
import warnings

import pytest

import salestrain
from salestrain.plots import style as plots

needs_cjk = pytest.mark.skipif(
    not plots.installed_cjk_families() and not os.environ.get("CI"),
    reason="no CJK font installed (apt-get install fonts-wqy-microhei)",
)


@needs_cjk
def test_chinese_labels_render_without_missing_glyphs(caplog):
    salestrain.set_language("zh_CN")
    fig = plots.new_figure(4, 3)
    ax = fig.add_subplot()
    ax.plot([0, 1], [-1, 1])
    ax.set_title(salestrain.t("start.plot.title", deals=10, rate="30%"))
    ax.set_xlabel(salestrain.t("start.plot.x"))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        png = plots.to_png(fig)
    glyph_warnings = [w for w in caught if "missing from font" in str(w.message)]
    assert not glyph_warnings, glyph_warnings[0].message
    assert not [r for r in caplog.records if "findfont" in r.getMessage()]
    assert png[:4] == b"\x89PNG"


def test_font_list_names_only_installed_families():
    from matplotlib import font_manager

    names = {f.name for f in font_manager.fontManager.ttflist}
    for family in plots.font_families():
        assert family in names
