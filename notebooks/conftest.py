"""nbval for the lessons: each language's notebooks run in that language.

``notebooks/source/`` holds the bilingual sources that ``salestrain lessons build`` turns
into ``notebooks/X.ipynb`` and ``notebooks/zh_CN/X.ipynb``: the built ones are tested, not
the sources (their code is the same). The hooks (tests/nbval_language.py) run a Chinese
notebook's kernel in Chinese and fail a cell whose output shows English.
"""

from tests.nbval_language import pytest_runtest_makereport, pytest_runtest_setup

__all__ = ["pytest_runtest_makereport", "pytest_runtest_setup"]

collect_ignore = ["source"]
