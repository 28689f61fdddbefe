"""Objection scenarios (content) and the practice sessions a learner stores."""
