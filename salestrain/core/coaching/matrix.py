"""The capability x willingness matrix and what each quadrant asks of a manager.

The quadrants follow the public skill-will matrix (direct, guide, excite, delegate),
itself a simplification of situational leadership (Hersey and Blanchard: S1 telling or
directing, S2 selling or coaching, S3 participating or supporting, S4 delegating).
The course names only "capability x willingness"; the style names and the S1-S4
correspondence are the public frameworks', the training decisions and actions ours.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from salestrain.core.coaching.assessment import Assessment, View
from salestrain.core.coaching.instrument import Thresholds

Style = Literal["direct", "guide", "excite", "delegate"]
STYLES: tuple[Style, ...] = ("direct", "guide", "excite", "delegate")
SITUATIONAL = {"direct": "S1", "guide": "S2", "excite": "S3", "delegate": "S4"}


@dataclass(frozen=True)
class Placement:
    """Where a rep sits on the matrix and why."""

    capability: float
    willingness: float
    high_capability: bool
    high_willingness: bool
    borderline: tuple[str, ...]  # dimensions within the thresholds' margin

    @property
    def style(self) -> Style:
        return style_for(self.high_capability, self.high_willingness)

    @property
    def situational(self) -> str:
        return SITUATIONAL[self.style]

    @property
    def possible_styles(self) -> tuple[Style, ...]:
        """Every style the scores allow once the margin around each line is honoured.

        A rep at 3.0/3.0 is not simply "delegate": within the margin either side of both
        lines they could be any of the four, and the honest answer is to gather more
        evidence (a ride-along, a second rater) before choosing. The placed style comes
        first.
        """
        caps = (True, False) if "capability" in self.borderline else (self.high_capability,)
        wills = (True, False) if "willingness" in self.borderline else (self.high_willingness,)
        styles = [style_for(c, w) for c in caps for w in wills]
        ordered = [self.style, *(s for s in STYLES if s in styles and s != self.style)]
        return tuple(ordered)

    @property
    def needs_evidence(self) -> bool:
        return len(self.possible_styles) > 1


def style_for(high_capability: bool, high_willingness: bool) -> Style:
    """Low skill, low will: direct. Low skill, high will: guide.
    High skill, low will: excite. High skill, high will: delegate."""
    if high_capability:
        return "delegate" if high_willingness else "excite"
    return "guide" if high_willingness else "direct"


def classify(capability: float, willingness: float, thresholds: Thresholds | None = None) -> Placement:
    th = thresholds or Thresholds()
    borderline = tuple(
        dim for dim, score in (("capability", capability), ("willingness", willingness))
        if th.is_borderline(dim, score)
    )
    return Placement(
        capability, willingness,
        th.is_high("capability", capability), th.is_high("willingness", willingness),
        borderline,
    )


def place(assessment: Assessment, thresholds: Thresholds | None = None,
          view: View = "manager") -> Placement:
    return classify(assessment.score("capability", view), assessment.score("willingness", view),
                    thresholds)


def quadrant_distance(a: Style, b: Style) -> int:
    """How many lines a move between two quadrants crosses: 0, 1, or 2 (a diagonal jump)."""
    def axes(style: Style) -> tuple[bool, bool]:
        return {"direct": (False, False), "guide": (False, True), "excite": (True, False),
                "delegate": (True, True)}[style]
    (ca, wa), (cb, wb) = axes(a), axes(b)
    return int(ca != cb) + int(wa != wb)


def jumps(placements: list[Placement]) -> list[int]:
    """Indexes of assessments that moved two quadrants from the one before (e.g. direct to
    delegate in one quarter): real growth rarely crosses both lines at once, so a mentor
    should check the scores (a new rater, a generous self-view) before changing style."""
    return [k for k in range(1, len(placements))
            if quadrant_distance(placements[k - 1].style, placements[k].style) == 2]


@dataclass(frozen=True)
class StylePlan:
    """The catalog keys a manager reads for one quadrant."""

    style: Style
    name: str
    leadership: str
    decision: str
    actions: tuple[str, ...]


def style_plan(style: Style) -> StylePlan:
    """Catalog keys (``coaching.style.<style>.*``) for the style's advice."""
    base = f"coaching.style.{style}"
    return StylePlan(style, f"{base}.name", f"{base}.leadership", f"{base}.decision",
                     tuple(f"{base}.action{n}" for n in (1, 2, 3)))
