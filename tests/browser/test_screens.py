"""Every app at 1280x720 and 1920x1080, as the room sees it (issue 20): the figure on the first screen,
drawn with its own aspect, nothing wider than the screen, no label cut, no squeezed slider.

The English screens are checked by test_workshop's projector test (one Voila start per app
already serves them there); this test serves each app in Chinese, whose labels differ in
length and so break layouts differently.
"""

from __future__ import annotations

import pytest

from salestrain.apps.registry import app_names
from tests.browser.screen_checks import assert_screen_passes
from tests.browser.support_workshop import projector, wait_for_app


@pytest.mark.parametrize("name", app_names())
def test_app_fits_the_projector_in_chinese(name, page720, tmp_path):
    with projector(name, tmp_path, "zh_CN") as url:
        page720.goto(url)
        wait_for_app(page720)
        assert "Traceback" not in page720.inner_text("body")
        assert_screen_passes(page720, tmp_path / f"{name}-zh_CN-1280x720.png")
        # The same page on a 1080p projector: the key view fits that screen too.
        page720.set_viewport_size({"width": 1920, "height": 1080})
        page720.wait_for_timeout(300)  # the widgets' layout follows the resize
        assert_screen_passes(page720, tmp_path / f"{name}-zh_CN-1920x1080.png")
