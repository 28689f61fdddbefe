"""Where the package's own files are: shipped data, catalogs, and the checkout around it.

One place so that a module can move between layers without its data paths breaking.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parents[1]
DATA_DIR = PACKAGE_DIR / "data"
# The checkout (or site-packages folder) that holds the package; in a checkout it also
# holds notebooks/, cases/ and exercises/.
CHECKOUT_DIR = PACKAGE_DIR.parent


def data_path(*parts: str) -> Path:
    """A shipped data file or folder, e.g. ``data_path("funnel", "sample_pipeline.csv")``."""
    return DATA_DIR.joinpath(*parts)
