"""Key-account analysis: Pareto, tiers, contribution, visit plans, churn signals."""
