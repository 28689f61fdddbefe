"""Funnel forecasting: stages, pipelines, exact and Monte Carlo forecasts, history, calibration.

Core only: plain data in, plain data out. File reading lives in :mod:`salestrain.io.funnel`.
"""

from salestrain.core.funnel.calibration import (
    Brier,
    Calibration,
    brier,
    calibrate,
    forecast_outcome_pairs,
    most_miscalibrated,
    reliability_curve,
)
from salestrain.core.funnel.exact import (
    LatticeDistribution,
    poisson_binomial_pmf,
    revenue_distribution,
)
from salestrain.core.funnel.forecast import (
    Forecast,
    Weighted,
    category_rollup,
    days_left_in_month,
    forecast,
    probabilities,
    weighted_forecast,
)
from salestrain.core.funnel.history import (
    StageGap,
    TransitionModel,
    apply_history_stages,
    fit_transitions,
    outcomes,
    p_close_within,
    stage_conversion,
    stage_win_rates,
    time_in_stage,
    weakest_stage,
)
from salestrain.core.funnel.montecarlo import MonteCarloResult, simulate, slip_probability
from salestrain.core.funnel.pipeline import apply_stages, in_period, parse_month
from salestrain.core.funnel.stages import DEFAULT_STAGES, Stages
from salestrain.core.funnel.synthetic import TRUTH, Truth, synthetic_history, synthetic_pipeline

__all__ = [
    "DEFAULT_STAGES", "TRUTH", "Brier", "Calibration", "calibrate", "Forecast", "LatticeDistribution", "MonteCarloResult",
    "Stages", "TransitionModel", "Truth", "Weighted", "brier", "category_rollup",
    "days_left_in_month", "fit_transitions", "forecast", "forecast_outcome_pairs", "in_period",
    "most_miscalibrated", "outcomes", "p_close_within", "parse_month", "poisson_binomial_pmf",
    "probabilities", "reliability_curve", "revenue_distribution", "simulate", "slip_probability",
    "StageGap", "stage_conversion", "stage_win_rates", "weakest_stage", "synthetic_history", "synthetic_pipeline", "time_in_stage",
    "apply_history_stages", "apply_stages", "weighted_forecast",
]
