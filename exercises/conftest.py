"""nbval for the exercises (their solutions run; every check must pass), in every language.

``source/`` folders hold the bilingual sources that ``salestrain lessons build`` turns into
``X.ipynb`` and ``X.zh_CN.ipynb`` beside them: the built ones are tested. The hooks
(tests/nbval_language.py) run a Chinese notebook's kernel in Chinese and fail a cell whose
output shows English (a table's header row of column codes excepted: learners type them).
"""

from tests.nbval_language import pytest_runtest_makereport, pytest_runtest_setup

__all__ = ["pytest_runtest_makereport", "pytest_runtest_setup"]

collect_ignore_glob = ["*/source/*"]
