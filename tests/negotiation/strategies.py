"""Hypothesis strategies: small random multi-issue domains."""

from __future__ import annotations

from hypothesis import strategies as st

from salestrain.core.negotiation import Domain, Issue, Preferences

unit = st.floats(0.0, 1.0, allow_nan=False)


@st.composite
def domains(draw, max_issues: int = 3, max_options: int = 4) -> Domain:
    n_issues = draw(st.integers(1, max_issues))
    sizes = [draw(st.integers(2, max_options)) for _ in range(n_issues)]
    issues = tuple(Issue(f"i{j}", tuple(f"o{k}" for k in range(n))) for j, n in enumerate(sizes))

    def prefs() -> Preferences:
        raw = [draw(st.floats(0.05, 1.0)) for _ in issues]
        weights = {i.name: w / sum(raw) for i, w in zip(issues, raw, strict=True)}
        scores = {i.name: tuple(draw(unit) for _ in i.options) for i in issues}
        return Preferences(weights, scores, round(draw(st.floats(0.0, 0.6)), 3))

    return Domain(issues, prefs(), prefs())
