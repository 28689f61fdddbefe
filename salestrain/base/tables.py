"""Reading a user's CSV table as text, with a clear error instead of a parser traceback.

Every module that takes a table from a file (pipelines, histories, assessments, account
books, a class's negotiation results) reads it here: every cell as text, so the module's
own checks can parse each cell and name the bad ones by line and column. What can go
wrong before that (no file, not UTF-8, broken quoting, an empty file) is reported the same
way everywhere, in the learner's language.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO

import pandas as pd

from salestrain.base.errors import DataError, Problem
from salestrain.base.i18n import t


def read_text_table(src: str | Path | IO[str], source: str | None = None, *,
                    needs: str | None = None) -> pd.DataFrame:
    """The CSV at ``src`` (a path or an open text buffer) with every cell as text.

    ``source`` names the table in messages (default: the path); ``needs`` says what an
    empty file should have held after its header row (default: at least one row of data).
    Raises :class:`DataError` for a missing, non-UTF-8, unparsable or empty file.
    """
    if source is None:
        source = str(src)
    if isinstance(src, str | Path) and not Path(src).expanduser().is_file():
        raise DataError(t("core.table.no_file", source=source))
    try:
        # utf-8-sig: Excel's "CSV UTF-8" starts with a byte-order mark.
        return pd.read_csv(Path(src).expanduser() if isinstance(src, str | Path) else src,
                           dtype=str, keep_default_na=False, skipinitialspace=True,
                           encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        # The decoder's and parser's own reasons stay in English: they come from Python.
        raise DataError(t("core.table.not_utf8", source=source),
                        [Problem(source, None, t("core.table.field_encoding"),
                                 t("core.table.fix_utf8", reason=exc.reason))]) from None
    except pd.errors.ParserError as exc:
        raise DataError(t("core.table.not_csv", source=source),
                        [Problem(source, None, t("core.table.field_format"),
                                 t("core.table.fix_csv", reason=exc))]) from None
    except pd.errors.EmptyDataError:
        raise DataError(t("core.table.empty", source=source,
                          needs=needs or t("core.table.needs_rows"))) from None


def is_blank(value: object) -> bool:
    """A cell left empty: None, NaN, NaT, pd.NA or only spaces, from a CSV or a DataFrame."""
    if pd.api.types.is_list_like(value):  # a list in a cell holds something
        return False
    if pd.isna(value):
        return True
    return isinstance(value, str) and value.strip() == ""
