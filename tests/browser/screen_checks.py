"""What a trainer projecting at 1280x720 (or 1920x1080) must not see, as checks on a page.

Each check takes a Playwright page (the ``page720`` fixture: a 1280x720 viewport, or the
same page resized) showing one app (``.salestrain-app``) and returns a list of
human-readable problems; ``[]`` means the screen passes; the fold is the viewport's height.
They measure the rendered page (bounding boxes, computed styles), so they
catch what CSS and widget layouts do together, which no in-process test can see.
"""

from __future__ import annotations

APP = ".salestrain-app"
FOLD = 720  # the projector's and a laptop's screen height, in CSS pixels (the default)
MIN_FIGURE_TEXT = 18  # px on the screen: figure text read from the back of a room (issue 20)
MIN_TRACK = 80  # px: a slider track narrower than this cannot be set to a chosen value

# Shared by the checks: a short name for an element, so a problem says where it is.
_DESCRIBE = """
const describe = (el) => {
  const text = (el.innerText || el.value || el.getAttribute('aria-label') || '')
    .trim().replace(/\\s+/g, ' ').slice(0, 40);
  const cls = [...el.classList].filter(c => c.startsWith('widget') || c.startsWith('salestrain')
    || c.startsWith('jupyter')).slice(0, 2).join('.');
  return `<${el.tagName.toLowerCase()}${cls ? '.' + cls : ''}>` + (text ? ` "${text}"` : '');
};
const visible = (el) => {
  const r = el.getBoundingClientRect();
  if (r.width <= 0 || r.height <= 0) return false;
  const cs = getComputedStyle(el);
  return cs.visibility !== 'hidden' && cs.display !== 'none' && Number(cs.opacity) > 0;
};
"""


def _top(page) -> None:
    # The checks measure the first screen, the one the room sees when the app opens.
    page.evaluate("() => window.scrollTo(0, 0)")


def horizontal_overflow(page) -> list[str]:
    """The document or the app wider than the viewport; any element in the app whose
    right edge passes the viewport's (the room would have to scroll sideways)."""
    _top(page)
    return page.evaluate(
        "(app) => {" + _DESCRIBE + """
        const problems = [];
        const vw = document.documentElement.clientWidth;
        const doc = document.documentElement.scrollWidth;
        if (doc > vw + 1) problems.push(`the document is ${doc} px wide, the viewport ${vw} px`);
        const root = document.querySelector(app);
        if (!root) return [`no ${app} on the page`];
        const r = root.getBoundingClientRect();
        if (r.right > vw + 1 || root.scrollWidth > root.clientWidth + 1)
          problems.push(`the app is ${Math.max(r.right, r.left + root.scrollWidth)} px wide, ` +
                        `the viewport ${vw} px`);
        // Report the outermost offenders only: their children pass the edge with them.
        const over = new Set();
        for (const el of root.querySelectorAll('*')) {
          if (!visible(el)) continue;
          const right = el.getBoundingClientRect().right;
          if (right <= vw + 1) continue;
          over.add(el);
          if (over.has(el.parentElement)) continue;
          problems.push(`${describe(el)} ends at x=${Math.round(right)} px, past the ` +
                        `viewport's ${vw} px`);
        }
        return problems;
    }""", APP)


def stretched_figures(page) -> list[str]:
    """Every visible figure image whose shown aspect ratio is more than 2 % off the PNG's."""
    _top(page)
    return page.evaluate(
        "(app) => {" + _DESCRIBE + """
        const problems = [];
        document.querySelectorAll(`${app} img.salestrain-figure`).forEach((img, i) => {
          if (!visible(img) || !img.naturalWidth || !img.naturalHeight) return;
          const cs = getComputedStyle(img);
          const px = (p) => parseFloat(cs[p]) || 0;
          // the content box: what the picture is drawn into
          const r = img.getBoundingClientRect();
          const w = r.width - px('paddingLeft') - px('paddingRight')
                    - px('borderLeftWidth') - px('borderRightWidth');
          const h = r.height - px('paddingTop') - px('paddingBottom')
                    - px('borderTopWidth') - px('borderBottomWidth');
          const drawn = img.naturalWidth / img.naturalHeight;
          const shown = w / h;
          if (Math.abs(shown / drawn - 1) > 0.02)
            problems.push(`figure ${i + 1} is shown ${Math.round(w)}x${Math.round(h)} px, ` +
                          `drawn ${img.naturalWidth}x${img.naturalHeight} px: ` +
                          `${(drawn / shown).toFixed(2)}x taller than drawn`);
        });
        return problems;
    }""", APP)


def cut_labels(page) -> list[str]:
    """Visible labels, descriptions, readouts, buttons and dropdowns whose text is cut."""
    _top(page)
    return page.evaluate(
        "(app) => {" + _DESCRIBE + r"""
        const problems = [];
        const root = document.querySelector(app);
        if (!root) return [`no ${app} on the page`];
        const selector = ['label', '.widget-label', '.widget-label-basic', '.widget-readout',
                          'button', '.widget-inline-hbox .widget-html-content'].join(',');
        for (const el of root.querySelectorAll(selector)) {
          if (!visible(el)) continue;
          const cs = getComputedStyle(el);
          const hides = ['hidden', 'clip'].includes(cs.overflowX) || cs.textOverflow === 'ellipsis';
          if (hides && el.scrollWidth > el.clientWidth + 1)
            problems.push(`${describe(el)} is cut: its text needs ${el.scrollWidth} px, ` +
                          `it has ${el.clientWidth} px`);
          else if (/(…|\.\.\.)$/.test((el.innerText || '').trim()))
            problems.push(`${describe(el)} ends in an ellipsis: its text was cut before showing`);
        }
        // A <select> shows its chosen option's text with no scrollWidth to read: measure it.
        const canvas = document.createElement('canvas').getContext('2d');
        for (const sel of root.querySelectorAll('select')) {
          if (!visible(sel) || sel.multiple || sel.selectedIndex < 0) continue;
          const cs = getComputedStyle(sel);
          canvas.font = `${cs.fontStyle} ${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
          const text = sel.options[sel.selectedIndex].text;
          const need = canvas.measureText(text).width;
          const room = sel.clientWidth - (parseFloat(cs.paddingLeft) || 0)
                       - (parseFloat(cs.paddingRight) || 0);
          if (need > room + 1)
            problems.push(`dropdown "${text.slice(0, 40)}" is cut: its text needs ` +
                          `${Math.ceil(need)} px, it has ${Math.floor(room)} px`);
        }
        return problems;
    }""", APP)


def squeezed_controls(page) -> list[str]:
    """Sliders whose track a long description squeezed to (almost) a bare handle, or whose
    readout it pushed out of the control (over the control beside it)."""
    _top(page)
    return page.evaluate(
        "([app, least]) => {" + _DESCRIBE + """
        const problems = [];
        for (const slider of document.querySelectorAll(`${app} .widget-slider`)) {
          const track = slider.querySelector('.slider-container');
          if (!track || !visible(slider)) continue;
          const width = track.getBoundingClientRect().width;
          if (width < least)
            problems.push(`${describe(slider)} has a ${Math.round(width)} px track ` +
                          `(a usable one needs ${least} px)`);
          // A readout pushed out of its control's box lands on the next control's label.
          const readout = slider.querySelector('.widget-readout');
          const box = slider.getBoundingClientRect();
          if (readout && visible(readout) && slider.style.display !== 'contents'
              && getComputedStyle(slider).display !== 'contents'
              && readout.getBoundingClientRect().right > box.right + 1)
            problems.push(`${describe(slider)}: its readout spills ` +
                          `${Math.round(readout.getBoundingClientRect().right - box.right)} px ` +
                          `out of the control, over what stands beside it`);
        }
        return problems;
    }""", [APP, MIN_TRACK])


def below_the_fold(page) -> list[str]:
    """The first figure shows whole, with its caption, above the fold when the app opens
    (with no figure: the app's first view starts above the fold and at least half of it
    shows); the key number (the first ``.salestrain-summary``) starts above the fold, and
    the headline cards end above it."""
    _top(page)
    return page.evaluate(
        "([app, fold]) => {" + _DESCRIBE + """
        const root = document.querySelector(app);
        if (!root) return [`no ${app} on the page`];
        let view = [...root.querySelectorAll('img.salestrain-figure')].find(visible);
        let what = 'the first figure';
        if (!view) {
          // No figure: the first view beside the controls, or else the first one after
          // the controls and their message line.
          const side = root.querySelector('.salestrain-side');
          const message = root.querySelector(':scope > .salestrain-message');
          let el = side ? side.firstElementChild : message ? message.nextElementSibling : null;
          while (el && !visible(el)) el = el.nextElementSibling;
          view = el;
          what = 'the main view';
        }
        if (!view) return [`${app} shows no figure and no view`];
        const r = view.getBoundingClientRect();
        const top = r.top + window.scrollY, bottom = r.bottom + window.scrollY;
        const shown = Math.max(0, Math.min(bottom, fold) - Math.max(top, 0));
        const problems = [];
        if (top >= fold) problems.push(`${what} ${describe(view)} starts at y=${Math.round(top)} ` +
                                       `px, below the ${fold} px fold`);
        else if (what === 'the first figure') {
          // The whole figure and its "what to see" line: the key view without scrolling.
          const caption = view.closest('.salestrain-figure-box')?.querySelector('.salestrain-caption');
          const last = caption && visible(caption) ? caption : view;
          const end = last.getBoundingClientRect().bottom + window.scrollY;
          if (end > fold + 1)
            problems.push(`${what} ${describe(view)} ${last === view ? '' : 'with its caption '}` +
                          `ends at y=${Math.round(end)} px, below the ${fold} px fold`);
        } else if (shown < r.height / 2)
          problems.push(`only ${Math.round(shown)} of ${Math.round(r.height)} px of ${what} ` +
                        `${describe(view)} show above the ${fold} px fold`);
        // The key number: an app's summary line (.salestrain-summary) starts on screen too.
        const summary = [...root.querySelectorAll('.salestrain-summary')].find(visible);
        if (summary && summary.getBoundingClientRect().top + window.scrollY >= fold)
          problems.push(`the key number ${describe(summary)} starts below the ${fold} px fold`);
        // The headline cards (App.headlines) show whole on the first screen.
        const cards = [...root.querySelectorAll('.salestrain-cards')].find(
          c => visible(c) && c.innerText.trim());
        if (cards && cards.getBoundingClientRect().bottom + window.scrollY > fold + 1)
          problems.push(`the headline cards ${describe(cards)} end at y=` +
                        `${Math.round(cards.getBoundingClientRect().bottom + window.scrollY)} px, ` +
                        `below the ${fold} px fold`);
        return problems;
    }""", [APP, _fold(page)])


def _fold(page) -> int:
    size = page.viewport_size
    return size["height"] if size else FOLD


def small_figure_text(page) -> list[str]:
    """Every visible figure whose smallest text shows under 18 px on the screen.

    The app marks each figure image with ``salestrain-text-N``: its smallest text in px at
    the PNG's own size (``FigureView.mark_text_size``); the screen size is N times the
    shown width over the PNG's width."""
    _top(page)
    return page.evaluate(
        "([app, least]) => {" + _DESCRIBE + """
        const problems = [];
        document.querySelectorAll(`${app} img.salestrain-figure`).forEach((img, i) => {
          if (!visible(img) || !img.naturalWidth) return;
          const mark = [...img.classList].find(c => /^salestrain-text-[0-9]+$/.test(c));
          if (!mark) { problems.push(`figure ${i + 1} carries no text-size mark`); return; }
          const px = Number(mark.split('-').pop());
          const scale = img.getBoundingClientRect().width / img.naturalWidth;
          // The mark is rounded down, so allow the rounding (18.06 px -> 18).
          if (px * scale < least - 0.5)
            problems.push(`figure ${i + 1}: its smallest text shows at ${(px * scale).toFixed(1)} px ` +
                          `(${px} px drawn, shown x${scale.toFixed(2)}), under ${least} px`);
        });
        return problems;
    }""", [APP, MIN_FIGURE_TEXT])


def figures_without_caption(page) -> list[str]:
    """Every visible figure without its one line of "what to see" under it."""
    _top(page)
    return page.evaluate(
        "(app) => {" + _DESCRIBE + """
        const problems = [];
        document.querySelectorAll(`${app} img.salestrain-figure`).forEach((img, i) => {
          if (!visible(img)) return;
          const box = img.closest('.salestrain-figure-box');
          const caption = box && box.querySelector('.salestrain-caption');
          if (!caption || !visible(caption) || !caption.innerText.trim())
            problems.push(`figure ${i + 1} has no line saying what to see in it`);
        });
        return problems;
    }""", APP)


CHECKS = (horizontal_overflow, stretched_figures, cut_labels, squeezed_controls,
          below_the_fold, small_figure_text, figures_without_caption)


def screen_problems(page) -> dict[str, list[str]]:
    """All the checks by name, only those that found something."""
    found = {check.__name__: check(page) for check in CHECKS}
    return {name: problems for name, problems in found.items() if problems}


def assert_screen_passes(page, path) -> None:
    """Save the first screen (not the full page: what the projector shows), then check it."""
    page.screenshot(path=str(path))
    problems = screen_problems(page)
    assert not problems, f"{path.name}: {problems}"
