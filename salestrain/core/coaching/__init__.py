"""Coaching the team: the capability x willingness matrix, purchasing-stage coaching,
the time matrix and the numbers a mentor tracks. Pure: plain data in, plain data out.

The mentorship record (SQLite, CSV) lives in :mod:`salestrain.io.coaching.mentorship`; the
instrument file is read by :mod:`salestrain.io.coaching.content`.
"""

from salestrain.core.coaching.advice import Advice, RepTrack, advise, advise_assessment, team_tracks
from salestrain.core.coaching.assessment import Assessment, DimensionScore, aggregate
from salestrain.core.coaching.instrument import Instrument, Item, Thresholds
from salestrain.core.coaching.matrix import (
    STYLES,
    Placement,
    StylePlan,
    classify,
    place,
    style_for,
    style_plan,
)
from salestrain.core.coaching.stages import (
    STAGES,
    StageDiagnosis,
    StagePlan,
    stage_conversion,
    stage_plan,
    stages_from_assessment,
    stages_from_funnel,
    team_benchmark,
)
from salestrain.core.coaching.table import (
    assessments_from_table,
    check_assessment_table,
    initials,
    latest,
    progress,
)
from salestrain.core.coaching.timematrix import (
    HEALTHY_PROFILE,
    QUADRANTS,
    TimeProfile,
    classify_tasks,
    quadrant,
    time_profile,
)

__all__ = [
    "HEALTHY_PROFILE", "QUADRANTS", "Advice", "RepTrack", "advise", "advise_assessment",
    "team_tracks", "STAGES", "STYLES", "Assessment", "DimensionScore",
    "Instrument", "Item", "Placement", "StageDiagnosis", "StagePlan", "StylePlan",
    "Thresholds", "TimeProfile", "aggregate", "assessments_from_table",
    "check_assessment_table", "classify", "classify_tasks", "initials", "latest", "place",
    "progress", "quadrant", "stage_conversion", "stage_plan", "stages_from_assessment",
    "stages_from_funnel", "style_for", "style_plan", "team_benchmark", "time_profile",
]
