"""The one reader and the one cell grammar for every table a user gives us.

Every module that takes a table from a file (pipelines, histories, assessments, account
books, goal plans, a class's negotiation results) reads it with :func:`read_text_table`
and parses its cells with the parsers here, through a :class:`Schema` declared once per
table kind in :mod:`salestrain.io.schemas`. So a cell means the same in every table:

* numbers: ``12000``, ``12,000``, ``12 000``, ``1.2e6`` and ``¥12,000`` are one number
  everywhere; ``NaN``, ``inf`` and anything beyond :data:`MAX_ABS` (1e15) are named
  errors (nothing a sales team counts is that large, and beyond it floats lose cents);
* percentages: ``80%`` and ``0.8`` are the same share;
* dates: ISO ``2026-12-01``, ``2026/12/01``, ``2026.12.01`` and ``2026年12月1日``;
  day/month orders (``01.12.2026``, ``12/01/2026``) are ambiguous, so they are named
  errors unless ``date_format`` says which reading to use (``"dmy"``, ``"mdy"`` or a
  ``strptime`` pattern such as ``"%d.%m.%Y"``);
* a duplicated column name and a file with only a header are named errors;
* UTF-8 (with or without Excel's byte-order mark) is read as is; GB18030/GBK (what Excel
  writes on Chinese Windows) is read correctly with a one-line note; anything else gets a
  fix naming Excel's "CSV UTF-8" save option.

Every parser is vectorised (pandas string kernels, numpy): a 1M-row pipeline is checked
in about the time pandas takes to read it. Problems are collected as arrays of row
positions in a :class:`ProblemSet`; only the first :data:`MAX_SHOWN` become messages.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import numpy as np
import pandas as pd

from salestrain.base.errors import DataError, Problem
from salestrain.base.i18n import t

MAX_ABS = 1e15  # the sane bound: beyond it a value is a typo or an export bug
MAX_SHOWN = 20  # problems listed in full; the headline gives the count of all of them
NOTES_ATTR = "salestrain_notes"  # DataFrame.attrs key for reader notes (e.g. the encoding)

# -- reading ----------------------------------------------------------------------------
_FALLBACK_ENCODING = "gb18030"  # a superset of GBK and GB2312: Excel on Chinese Windows


def read_text_table(src: str | Path | IO[str] | IO[bytes], source: str | None = None, *,
                    needs: str | None = None, allow_empty: bool = False) -> pd.DataFrame:
    """The CSV at ``src`` (a path or an open buffer) with every cell as text.

    ``source`` names the table in messages (default: the path); ``needs`` says what an
    empty file should have held after its header row (default: at least one row of data).
    Raises :class:`DataError` for a missing, undecodable, unparsable or empty file, a
    header without rows (unless ``allow_empty``) and a column name given twice. Notes
    for the user (a GBK file read as such) are in ``frame.attrs["salestrain_notes"]``.

    The file is parsed by Arrow's multi-threaded CSV reader straight into Arrow strings:
    pandas' own reader builds a Python object per cell first, which for a 1M-row table
    costs more memory than the 400 MB the whole forecast may use.
    """
    if source is None:
        source = str(src)
    notes: list[str] = []
    if isinstance(src, str | Path):
        path = Path(src).expanduser()
        if not path.is_file():
            raise DataError(t("core.table.no_file", source=source))
        target: Path | bytes = path
    else:
        data = src.read()
        target = data.encode("utf-8") if isinstance(data, str) else data
    encoding, quoted = _encoding(target, source)
    if encoding != "utf-8":
        notes.append(t("core.table.note_gbk", source=source))
    header = _header(target, encoding)
    if not header:
        raise DataError(t("core.table.empty", source=source,
                          needs=needs or t("core.table.needs_rows")))
    _check_header(header, source)
    release_arrow_scratch()  # before the read too: the read allocates from the chosen pool
    frame = _read_arrow(target, encoding, header, source, quoted)
    release_arrow_scratch()
    if len(frame) == 0 and not allow_empty:
        raise DataError(t("core.table.header_only", source=source,
                          needs=needs or t("core.table.needs_rows")))
    frame.attrs[NOTES_ATTR] = notes
    return frame


_CHUNK = 1 << 20


def release_arrow_scratch() -> None:
    """Keep Arrow from holding on to memory it freed.

    Arrow's default allocator (mimalloc or jemalloc) keeps what a CSV read or a compute
    kernel freed for reuse. Reading and checking a 1M-row pipeline peaked at 449 MB that
    way; on the system allocator, with the freed memory handed back after each step, it
    peaks at about 350 MB (VmHWM, benchmarks/tables.py, issue 12), at no measurable cost
    in time. A user who chose a pool with ``ARROW_DEFAULT_MEMORY_POOL`` keeps it.
    """
    import pyarrow as pa

    if "ARROW_DEFAULT_MEMORY_POOL" not in os.environ:
        system = pa.system_memory_pool()
        if pa.default_memory_pool().backend_name != system.backend_name:
            pa.set_memory_pool(system)
    pa.default_memory_pool().release_unused()


def _chunks(target: Path | bytes):
    if isinstance(target, bytes):
        yield target
        return
    with open(target, "rb") as handle:
        while block := handle.read(_CHUNK):
            yield block


def _decodes(target: Path | bytes, encoding: str) -> tuple[UnicodeDecodeError | None, bool]:
    """``(None, quoted)`` when the whole input decodes, else ``(the first error, quoted)``;
    ``quoted`` says whether any ``"`` occurs (read in 1 MiB blocks)."""
    import codecs

    decoder = codecs.getincrementaldecoder(encoding)()
    quoted = False
    try:
        for block in _chunks(target):
            decoder.decode(block)
            quoted = quoted or b'"' in block  # memchr: no cost next to the decoding
        decoder.decode(b"", final=True)
    except UnicodeDecodeError as exc:
        return exc, True
    return None, quoted


def _encoding(target: Path | bytes, source: str) -> tuple[str, bool]:
    """utf-8 (a BOM is fine), else gb18030 (Excel on Chinese Windows), else a named error;
    with whether the input holds a quote (``"`` is ASCII in both encodings)."""
    first, quoted = _decodes(target, "utf-8")
    if first is None:
        return "utf-8", quoted
    if _decodes(target, _FALLBACK_ENCODING)[0] is None:
        return _FALLBACK_ENCODING, True
    # The decoder's own reason stays in English: it comes from Python.
    raise DataError(t("core.table.not_utf8", source=source),
                    [Problem(source, None, t("core.table.field_encoding"),
                             t("core.table.fix_utf8", reason=first.reason))])


def _header(target: Path | bytes, encoding: str) -> list[str]:
    """The header row exactly as written (readers rename or keep duplicates silently)."""
    if isinstance(target, Path):
        with open(target, encoding=encoding, newline="") as handle:
            head = handle.read(1 << 16)
    else:
        head = target[: 1 << 16].decode(encoding, errors="ignore")
    head = head.removeprefix("\ufeff")
    return [h.strip() for h in next(csv.reader(io.StringIO(head), skipinitialspace=True), [])]


def _read_arrow(target: Path | bytes, encoding: str, header: list[str],
                source: str, quoted: bool = True) -> pd.DataFrame:
    import pyarrow as pa
    import pyarrow.csv as pacsv

    names = [f"c{k}" for k in range(len(header))]  # our own names: the header is checked
    read = pacsv.ReadOptions(column_names=names, skip_rows=1,
                             encoding="utf8" if encoding == "utf-8" else encoding)
    # large_string: what pandas keeps Arrow text in (a plain string would be cast, a copy)
    convert = pacsv.ConvertOptions(column_types=dict.fromkeys(names, pa.large_string()),
                                   strings_can_be_null=False, quoted_strings_can_be_null=False)
    # A line break inside a quoted cell needs the slower serial line splitter (a third of
    # the read's time); a file without any quote cannot have one.
    parse = pacsv.ParseOptions(newlines_in_values=quoted)
    data = target if isinstance(target, Path) else pa.BufferReader(target)
    try:
        # An OSFile, not a path: Arrow would memory-map the file and count it twice.
        table = pacsv.read_csv(pa.OSFile(str(data)) if isinstance(data, Path) else data,
                               read_options=read,
                               parse_options=parse, convert_options=convert)
    except pa.ArrowInvalid as exc:
        if "Empty CSV" in str(exc):
            table = pa.table({n: pa.array([], pa.large_string()) for n in names})
        else:
            raise DataError(t("core.table.not_csv", source=source),
                            [Problem(source, None, t("core.table.field_format"),
                                     t("core.table.fix_csv", reason=str(exc).split("\n")[0]))]
                            ) from None
    import pyarrow.compute as pc

    # "a, b" in a header means b: the same for the cells (spreadsheets pad with spaces)
    table = pa.table([pc.utf8_ltrim(c, " ") if _any_leading_space(c) else c
                      for c in table.columns], names=names)
    dtype = pd.StringDtype("pyarrow", na_value=np.nan)
    # One pandas column per Arrow column, chunks kept as they are (to_pandas would copy).
    return pd.DataFrame({name: pd.Series(pd.arrays.ArrowStringArray(column), dtype=dtype,
                                         copy=False)
                         for name, column in zip(header, table.columns, strict=True)},
                        copy=False)


def _any_leading_space(column) -> bool:
    import pyarrow.compute as pc

    return bool(pc.any(pc.starts_with(column, " ")).as_py())


def _edge_bytes(column, last: bool = True) -> bool:
    """Whether any cell of Arrow text may start (or, with ``last``, end) with a space.

    It looks at the first and last byte of each cell, straight from Arrow's offsets and
    data buffers: a few milliseconds for 1M cells, where trimming every cell to compare
    would copy the column. Any byte up to 0x20 (ASCII spaces and controls) or from 0x80
    (a non-ASCII character, which may be a Unicode space such as U+3000) counts, and an
    empty cell may count: a True can be a false alarm (a name starting with a Chinese
    character), and the caller then does the exact work. A False is certain.
    """
    import pyarrow as pa

    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()  # one pass instead of one per block of the read
    if len(column) == 0:
        return False
    if column.null_count:
        column = column.fill_null("")
    if pa.types.is_large_string(column.type):  # what pandas keeps its text in
        width = np.int64
    elif pa.types.is_string(column.type):
        width = np.int32
    else:
        return True  # string views: let the exact path decide
    _, off_buf, data_buf = column.buffers()
    if data_buf is None or data_buf.size == 0:
        return False
    data = np.frombuffer(data_buf, dtype=np.uint8)
    # int64 positions: numpy gathers with them about twice as fast as with int32
    offsets = np.frombuffer(off_buf, dtype=width)[
        column.offset:column.offset + len(column) + 1].astype(np.int64, copy=False)
    edges = [np.minimum(offsets[:-1], data.size - 1)]  # an empty last cell points past the end
    if last:
        edges.append(offsets[1:] - 1)  # an empty first cell points at -1: the last byte
    for where in edges:
        edge = data[where]
        if edge.min() <= 0x20 or edge.max() >= 0x80:
            return True
    return False


def _check_header(header: Sequence[str], source: str) -> None:
    seen: dict[str, int] = {}
    problems = []
    for k, name in enumerate(header):
        key = name.strip()
        if key in seen:
            problems.append(Problem(source, 1, key, t("core.table.duplicate_column", column=key,
                                                      first=seen[key] + 1, again=k + 1)))
        else:
            seen[key] = k
    if problems:
        raise DataError(t("core.table.bad_header", source=source), problems)


def notes_of(frame: pd.DataFrame) -> list[str]:
    """The reader's notes for the user about ``frame`` (empty for most files)."""
    return list(frame.attrs.get(NOTES_ATTR, []))


def is_blank(value: object) -> bool:
    """A cell left empty: None, NaN, NaT, pd.NA or only spaces, from a CSV or a DataFrame."""
    if pd.api.types.is_list_like(value):  # a list in a cell holds something
        return False
    if pd.isna(value):
        return True
    return isinstance(value, str) and value.strip() == ""


# -- the cell grammar (vectorised) ----------------------------------------------------------
# Problem codes a parser returns per cell; OK and BLANK are not problems by themselves.
OK, BLANK, BAD, NOT_FINITE, TOO_LARGE, AMBIGUOUS, BELOW, ABOVE, NOT_WHOLE = range(9)
_CODE_NAMES = {BAD: "bad", NOT_FINITE: "not_finite", TOO_LARGE: "too_large",
               AMBIGUOUS: "ambiguous_date", BELOW: "below", ABOVE: "above",
               NOT_WHOLE: "not_whole", BLANK: "blank"}

_SEP = "[, '\u00a0\u202f]"  # comma, space, ', (narrow) no-break space; RE2 wants the characters
_NUMBER = (r"[+-]?(?:\d{1,3}(?:" + _SEP + r"\d{3})+|\d+)(?:\.\d*)?(?:[eE][+-]?\d+)?"
           r"|[+-]?\.\d+(?:[eE][+-]?\d+)?")
_CURRENCY = r"^(?:¥|￥|\$|€|£|RMB|CNY|USD|EUR)\s*|\s*(?:元|RMB|CNY|USD|EUR)$"
_NONFINITE = r"[+-]?(?:nan|inf|infinity)"


TEXT = pd.StringDtype("pyarrow", na_value=np.nan)  # Arrow storage, NaN for missing
_TEXT = TEXT


def text_cells(series: pd.Series) -> pd.Series:
    """The cells as stripped Arrow-backed text; missing values become ""."""
    import pyarrow.compute as pc

    if series.dtype != _TEXT:
        series = series.astype(_TEXT)
    if series.hasnans:
        series = series.fillna("")
    arr = _arrow(series)
    if not _edge_bytes(arr):
        return series  # no cell starts or ends with a space: nothing to strip
    trimmed = pc.utf8_trim_whitespace(arr)
    if pc.sum(pc.utf8_length(trimmed)).as_py() == pc.sum(pc.utf8_length(arr)).as_py():
        return series  # nothing to strip: keep the cells, not a copy
    return pd.Series(pd.array(trimmed, dtype=_TEXT), index=series.index, copy=False)


def _arrow(series: pd.Series):
    """The Arrow array under Arrow-backed text (zero copy)."""
    import pyarrow as pa

    return pa.array(series.array)


def distinct(series: pd.Series) -> tuple[np.ndarray, pd.Series]:
    """``(codes, uniques)``: ``series`` equals ``uniques.iloc[codes]`` (int32 codes; a
    missing value is a distinct value of its own). Arrow text is encoded by Arrow's hash
    kernel, which for 1M cells is faster than pandas' factorize and keeps the uniques as
    Arrow text."""
    if series.dtype == _TEXT:
        import pyarrow as pa
        import pyarrow.compute as pc

        arr = _arrow(series)
        if isinstance(arr, pa.ChunkedArray):
            arr = arr.combine_chunks()  # one dictionary for all rows
        encoded = pc.dictionary_encode(arr, null_encoding="encode")
        codes = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int32, copy=False)
        uniques = pd.Series(pd.arrays.ArrowStringArray(encoded.dictionary), dtype=_TEXT,
                            copy=False)
        return codes, uniques
    codes, values = pd.factorize(series, use_na_sentinel=False)
    return codes.astype(np.int32, copy=False), pd.Series(values)


def map_values(series: pd.Series, fn: Callable[[object], object]) -> np.ndarray:
    """``fn`` applied once per distinct cell (stage names: a handful, not a million calls)."""
    codes, uniques = distinct(series)
    mapped = np.empty(len(uniques), dtype=object)
    mapped[:] = [fn(u) for u in uniques]
    return mapped[codes]


def map_text(series: pd.Series, fn: Callable[[object], str | None]) -> pd.Series:
    """Like :func:`map_values` for text results, as Arrow text (missing where ``fn`` gives
    None): no Python string object per row, which for 1M rows is 60 MB."""
    codes, uniques = distinct(series)
    return take_text([fn(u) for u in uniques], codes, series.index)


def take_text(values: Sequence[str | None], codes: np.ndarray, index: pd.Index) -> pd.Series:
    """Arrow text ``values[codes]`` (int32 codes: half the memory of int64 at the reader's
    peak; a table has far fewer than 2**31 distinct spellings)."""
    import pyarrow as pa

    taken = pa.array(values, type=pa.string()).take(pa.array(codes.astype(np.int32, copy=False)))
    return pd.Series(pd.arrays.ArrowStringArray(taken), index=index, dtype=TEXT, copy=False)


def parse_numbers(series: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Numbers from cells: ``(values, codes)``; a value is NaN where its code is not OK.

    Text accepts thousands separators, a currency sign and exponents; numeric input
    (a DataFrame built in code) is taken as it is, NaN there meaning a blank cell.
    """
    n = len(series)
    codes = np.zeros(n, dtype=np.int8)
    if pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype):
        values = series.to_numpy(dtype=float, na_value=np.nan).copy()
        codes[np.isnan(values)] = BLANK
        codes[np.isinf(values)] = NOT_FINITE
    else:
        import pyarrow as pa
        import pyarrow.compute as pc

        text = text_cells(series)
        arr = _arrow(text)
        # The fast path: plain digits (most cells of most exports) cast in one Arrow call.
        plain = pc.utf8_is_decimal(arr).to_numpy(zero_copy_only=False)
        values = np.full(n, np.nan)
        if plain.any():
            values[plain] = pc.cast(pc.filter(arr, plain), "float64").to_numpy(zero_copy_only=False)
        rest = np.flatnonzero(~plain)
        if rest.size:  # the others through Arrow's regex engine (pandas would loop in Python)
            sub = pc.replace_substring_regex(pc.take(arr, pa.array(rest)), _CURRENCY, "")
            good = pc.match_substring_regex(sub, "^(?:" + _NUMBER + ")$").to_numpy(
                zero_copy_only=False)
            clean = pc.replace_substring_regex(pc.if_else(good, sub, "0"), _SEP, "")
            got = pc.cast(clean, "float64").to_numpy(zero_copy_only=False).copy()
            got[~good] = np.nan
            sub_codes = np.where(good, OK, BAD).astype(np.int8)
            sub_codes[pc.equal(sub, "").to_numpy(zero_copy_only=False)] = BLANK
            nonfinite = pc.match_substring_regex(sub, "^(?:" + _NONFINITE + ")$",
                                                 ignore_case=True).to_numpy(zero_copy_only=False)
            sub_codes[nonfinite] = NOT_FINITE
            sub_codes[good & ~np.isfinite(got)] = TOO_LARGE  # 1e999 overflows to inf
            values[rest] = got
            codes[rest] = sub_codes
        codes[plain & ~np.isfinite(values)] = TOO_LARGE  # a 400-digit number
    with np.errstate(invalid="ignore"):
        codes[(codes == OK) & (np.abs(values) > MAX_ABS)] = TOO_LARGE
    values[codes != OK] = np.nan
    return values, codes


def parse_percents(series: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Shares from cells: ``80%`` and ``0.8`` are both 0.8 (range checks are the schema's)."""
    if pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype):
        return parse_numbers(series)
    text = text_cells(series)
    pct = text.str.endswith("%").to_numpy(dtype=bool, na_value=False)
    values, codes = parse_numbers(text.str.removesuffix("%").str.rstrip())
    values[pct] /= 100
    return values, codes


_ISO = r"\d{4}-\d{2}-\d{2}(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_YMD = r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?"
_XXY = r"(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{4})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?"
DATE_ORDERS = ("dmy", "mdy")


def _from_parts(year: pd.Series, month: pd.Series, day: pd.Series) -> pd.Series:
    parts = pd.DataFrame({"year": pd.to_numeric(year), "month": pd.to_numeric(month),
                          "day": pd.to_numeric(day)})
    return pd.to_datetime(parts, errors="coerce")


def parse_dates(series: pd.Series, date_format: str | None = None) -> tuple[pd.Series, np.ndarray]:
    """Dates from cells: ``(datetime64 series, codes)``; see the module for the grammar.

    ``date_format`` ``"dmy"`` or ``"mdy"`` reads day/month orders that way; any other
    value is a ``strptime`` pattern for the cells that are not year-first.
    """
    n = len(series)
    codes = np.zeros(n, dtype=np.int8)
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        out = pd.Series(pd.to_datetime(series).to_numpy(), index=series.index)
        codes[out.isna().to_numpy()] = BLANK
        return out, codes
    text = text_cells(series)
    out = pd.Series(pd.NaT, index=series.index, dtype="datetime64[ns]")
    import pyarrow.compute as pc

    # The fast path: almost every export writes ISO dates; Arrow parses them in C, strictly
    # (2026-02-31 fails here and is looked at again below).
    arr = _arrow(text)
    stamps = pc.strptime(arr, format="%Y-%m-%d", unit="s", error_is_null=True)
    # Arrow rolls 2026-02-31 over to March: only a YYYY-MM-DD cell whose day reads back
    # unchanged is taken here; everything else goes the strict way below.
    day = pc.utf8_slice_codeunits(arr, 8, 10)
    digits = pc.and_(pc.equal(pc.utf8_length(arr), 10), pc.utf8_is_digit(day))
    same = pc.and_(digits, pc.equal(pc.day(stamps), pc.cast(pc.if_else(digits, day, "0"), "int64")))
    iso = pc.fill_null(same, False).to_numpy(zero_copy_only=False)
    if iso.any():
        out[iso] = stamps.to_numpy(zero_copy_only=False)[iso].astype("datetime64[ns]")
    rest = ~iso & (text != "").to_numpy(dtype=bool, na_value=False)
    codes[~iso & ~rest] = BLANK
    if rest.any():
        sub = text[rest]
        parsed = pd.Series(pd.NaT, index=sub.index, dtype="datetime64[ns]")
        ambiguous = pd.Series(False, index=sub.index)
        ymd = sub.str.extract("^" + _YMD + "$")
        hit = ymd[0].notna()
        if hit.any():
            parsed[hit] = _from_parts(ymd.loc[hit, 0], ymd.loc[hit, 1], ymd.loc[hit, 2]).to_numpy()
        left = sub[~hit]
        if len(left) and date_format is not None and date_format not in DATE_ORDERS:
            parsed[left.index] = pd.to_datetime(left, format=date_format, errors="coerce").to_numpy()
        elif len(left):
            xxy = left.str.extract("^" + _XXY + "$")
            got = xxy[0].notna()
            if got.any():
                a, b, y = xxy.loc[got, 0], xxy.loc[got, 1], xxy.loc[got, 2]
                dmy, mdy = _from_parts(y, b, a), _from_parts(y, a, b)
                if date_format == "dmy":
                    parsed[dmy.index] = dmy.to_numpy()
                elif date_format == "mdy":
                    parsed[mdy.index] = mdy.to_numpy()
                else:  # no order given: ambiguous if any reading is a real date
                    ambiguous[dmy.index] = (dmy.notna() | mdy.notna()).to_numpy()
        out[rest] = parsed.to_numpy()
        sub_codes = np.where(ambiguous.to_numpy(), AMBIGUOUS, np.where(parsed.isna(), BAD, OK))
        codes[rest] = sub_codes
    return out, codes


_TRUE = ("true", "1", "yes", "y", "是", "t")
_FALSE = ("false", "0", "no", "n", "否", "f")


def parse_bools(series: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Yes/no cells: true/false, yes/no, y/n, 1/0, 是/否 (any case); blank is BLANK."""
    if pd.api.types.is_bool_dtype(series.dtype):
        return series.to_numpy(dtype=bool), np.zeros(len(series), dtype=np.int8)
    text = text_cells(series).str.lower()
    yes = text.isin(_TRUE).to_numpy(dtype=bool)
    no = text.isin(_FALSE).to_numpy(dtype=bool)
    codes = np.where(yes | no, OK, BAD).astype(np.int8)
    codes[(text == "").to_numpy(dtype=bool, na_value=True)] = BLANK
    return yes, codes


# -- problems as arrays -----------------------------------------------------------------------
@dataclass
class ProblemSet:
    """Problems of one table, kept as row positions until they are shown.

    A million bad cells cost a few arrays, not a million messages: only the first
    :data:`MAX_SHOWN` (by line, then column order) are turned into :class:`Problem`.
    """

    source: str
    first_line: int | None = 2  # the line of row 0 (None: a DataFrame given in code)
    _groups: list[tuple[np.ndarray, int, str, Callable[[int], str]]] = field(default_factory=list)
    _single: list[tuple[int, int, Problem]] = field(default_factory=list)

    def line(self, pos: int) -> int:
        return pos + (self.first_line if self.first_line is not None else 1)

    def add(self, positions: np.ndarray, column: str, message: Callable[[int], str],
            order: int = 0) -> None:
        """Rows ``positions`` of ``column`` are bad; ``message(pos)`` says why and the fix."""
        positions = np.asarray(positions, dtype=np.int64)
        if positions.size:
            self._groups.append((positions, order, column, message))

    def add_problem(self, problem: Problem, pos: int = -1, order: int = 0) -> None:
        """One ready-made problem (``pos`` -1: about the whole table, shown first)."""
        self._single.append((pos, order, problem))

    def __len__(self) -> int:
        return sum(len(g[0]) for g in self._groups) + len(self._single)

    def part(self) -> ProblemSet:
        """An empty set for the same table, to be :meth:`merge`-d back (one per worker)."""
        return ProblemSet(self.source, self.first_line)

    def merge(self, other: ProblemSet) -> None:
        self._groups.extend(other._groups)
        self._single.extend(other._single)

    def first(self, limit: int = MAX_SHOWN) -> list[Problem]:
        picks: list[tuple[int, int, int, int]] = []  # (pos, order, group, k)
        for g, (positions, order, _, _) in enumerate(self._groups):
            head = np.sort(positions)[:limit]
            picks.extend((int(p), order, g, 0) for p in head)
        for s, (pos, order, _) in enumerate(self._single):
            picks.append((pos, order, -1, s))
        picks.sort(key=lambda x: (x[0], x[1]))
        out = []
        for pos, _, g, s in picks[:limit]:
            if g < 0:
                out.append(self._single[s][2])
            else:
                _, _, column, message = self._groups[g]
                out.append(Problem(self.source, self.line(pos), column, message(pos)))
        return out

    def raise_if_any(self, headline: Callable[[int, int, int], str]) -> None:
        """Raise one DataError: ``headline(count, shown, extra)``, then the first problems."""
        count = len(self)
        if count:
            shown = self.first()
            raise DataError(headline(count, len(shown), count - len(shown)), shown)


def standard_headline(source: str) -> Callable[[int, int, int], str]:
    def headline(count: int, shown: int, extra: int) -> str:
        if extra:
            return t("core.table.problems_more", source=source, count=count, shown=shown,
                     extra=extra)
        return t("core.table.problems", source=source, count=count)
    return headline


# -- schemas ------------------------------------------------------------------------------
KINDS = ("text", "number", "percent", "date", "bool", "whole")


@dataclass(frozen=True)
class Column:
    """One column of a table kind: its cell kind, whether it must exist and be filled,
    its bounds, and the catalog keys of its messages (per problem code, see
    :data:`_CODE_NAMES`; unset codes use ``core.table.<code>``)."""

    name: str
    kind: str = "text"
    required: bool = True  # the column must be in the file
    blank_ok: bool = False  # a cell may be empty (a missing value)
    min: float | None = None
    max: float | None = None
    messages: Mapping[str, str] = field(default_factory=dict)
    fix: str | None = None  # catalog key of the fix, given to messages as {fix}
    values: Mapping[str, object] = field(default_factory=dict)  # extra message values

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"column {self.name}: kind {self.kind!r} is not one of {KINDS}")


@dataclass(frozen=True)
class Schema:
    """A table kind, declared once: its columns, the columns whose values are unique
    together, and the other names CRM exports give its columns."""

    name: str
    columns: tuple[Column, ...]
    unique: tuple[str, ...] = ()
    aliases: Mapping[str, str] = field(default_factory=dict)
    messages: Mapping[str, str] = field(default_factory=dict)  # missing_column, duplicate

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    def rename(self, df: pd.DataFrame, mapping: Mapping[str, str] | None = None) -> pd.DataFrame:
        """Columns renamed to ours: an explicit ``mapping`` first, then our names and aliases
        (compared without case, spaces or underscores)."""
        known = {_norm(c): c for c in self.names}
        known.update({_norm(k): v for k, v in self.aliases.items() if _norm(k) not in known})
        explicit = {_norm(k): v for k, v in (mapping or {}).items()}
        rename: dict[str, str] = {}
        for col in df.columns:
            key = _norm(col)
            target = explicit.get(key) or known.get(key)
            if target is not None:
                rename[col] = target
        return df.rename(columns=rename)

    def parse(self, df: pd.DataFrame, problems: ProblemSet,
              date_format: str | None = None) -> pd.DataFrame:
        """Every declared cell parsed; bad cells are NaN/NaT/"" and recorded in ``problems``.

        A missing required column raises at once (nothing else can be checked without it).
        Undeclared columns are kept as they are, after the declared ones.
        """
        # Rows are positions (line = first_line + position): a filtered frame's index would
        # misalign the parsed columns with the rest of the row.
        df = df.reset_index(drop=True)
        df.columns = [str(c).strip() for c in df.columns]
        missing = [c.name for c in self.columns if c.required and c.name not in df.columns]
        if missing:
            key = self.messages.get("missing_column", "core.table.missing_column")
            found = ", ".join(map(str, df.columns)) or "-"
            head = self.messages.get("missing_columns", "core.table.missing_columns")
            raise DataError(t(head, source=problems.source, name=problems.source,
                              columns=", ".join(missing), count=len(missing)),
                            [Problem(problems.source, 1 if problems.first_line == 2 else None, c,
                                     t(key, column=c, found=found, needed=", ".join(self.names)))
                             for c in missing])
        present = [(order, col) for order, col in enumerate(self.columns)
                   if col.name in df.columns]
        parts = {col.name: problems.part() for _, col in present}

        def parse_one(job: tuple[int, Column]) -> object:
            order, col = job
            return _parse_column(df[col.name], col, order, parts[col.name], date_format)

        out: dict[str, object] = {}
        checks_unique = bool(self.unique) and all(c in df.columns for c in self.unique)
        unique_part = problems.part()
        # Columns are independent, and Arrow and numpy do their work without the GIL: on
        # two cores, the duplicate-key check (a hash of every key) runs beside the other
        # columns. Big tables only: for a few rows a thread costs more than it saves.
        workers = 2 if len(df) >= _PARALLEL_MIN_ROWS and (os.cpu_count() or 1) > 1 else 0
        keys_first = sorted(present, key=lambda job: job[1].name not in self.unique)
        if workers:
            with ThreadPoolExecutor(max_workers=workers) as pool:
                n_keys = len(self.unique) if checks_unique else 0
                for job in keys_first[:n_keys]:
                    out[job[1].name] = parse_one(job)
                pending = (pool.submit(self._unique, pd.DataFrame(
                    {c: out[c] for c in self.unique}, copy=False), unique_part)
                    if checks_unique else None)
                out.update(zip((col.name for _, col in keys_first[n_keys:]),
                               pool.map(parse_one, keys_first[n_keys:]), strict=True))
                if pending is not None:
                    pending.result()
        else:
            for job in present:
                out[job[1].name] = parse_one(job)
            if checks_unique:
                self._unique(pd.DataFrame({c: out[c] for c in self.unique}, copy=False),
                             unique_part)
        for _, col in present:  # problems in column order, whatever order the work ran in
            problems.merge(parts[col.name])
        problems.merge(unique_part)
        result = pd.DataFrame({col.name: out[col.name] for _, col in present}, index=df.index,
                              copy=False)  # dict input copies by default
        for extra in df.columns:
            if extra not in result.columns:
                result[extra] = df[extra]
        release_arrow_scratch()
        return result.reset_index(drop=True)

    def _unique(self, keys: pd.DataFrame, problems: ProblemSet) -> None:
        keys = keys.reset_index(drop=True)
        if len(self.unique) == 1 and _all_distinct(keys[self.unique[0]]):
            return  # the common case, decided by one hash pass
        filled = np.ones(len(keys), dtype=bool)
        for c in self.unique:
            v = keys[c]
            filled &= (v.notna() & (v.astype("str") != "")).to_numpy(dtype=bool)
        if len(self.unique) == 1:  # factorize: Arrow's hash, no Python object per row
            codes, _ = pd.factorize(keys[self.unique[0]], use_na_sentinel=False)
        else:
            codes = keys.groupby(list(self.unique), sort=False, dropna=False).ngroup().to_numpy()
        first_of = np.full(codes.max() + 1 if len(codes) else 0, -1, dtype=np.int64)
        pos = np.arange(len(codes))
        first_of[codes[::-1]] = pos[::-1]  # the first row of each key (last write wins)
        first = first_of[codes]
        dup = (first != pos) & filled
        if not dup.any():
            return
        column = self.unique[-1]
        key = self.messages.get("duplicate", "core.table.duplicate")
        order = self.names.index(column) if column in self.names else 0

        def message(p: int) -> str:
            value = " / ".join(str(keys[c].iloc[p]) for c in self.unique)
            return t(key, value=repr(value) if len(self.unique) == 1 else value,
                     line=problems.line(int(first[p])), row=problems.line(int(first[p])))
        problems.add(np.flatnonzero(dup), column, message, order)


_PARALLEL_MIN_ROWS = 50_000


def _all_distinct(series: pd.Series) -> bool:
    """Whether no value repeats (missing values count as one value)."""
    if series.dtype == _TEXT:
        import pyarrow.compute as pc

        return len(pc.unique(_arrow(series))) == len(series)
    return not series.duplicated().any()


def _norm(name: object) -> str:
    return " ".join(str(name).strip().lower().replace("_", " ").split())


def _parse_column(series: pd.Series, col: Column, order: int, problems: ProblemSet,
                  date_format: str | None) -> object:
    raw = series.reset_index(drop=True)
    if col.kind == "text":
        shown = None
        values = text_cells(raw)
        codes = np.where((values == "").to_numpy(dtype=bool, na_value=True), BLANK, OK).astype(np.int8)
        parsed: object = values
    elif col.kind in ("number", "percent", "whole"):
        nums, codes = _per_distinct(raw, parse_percents if col.kind == "percent"
                                    else parse_numbers)
        with np.errstate(invalid="ignore"):
            if col.kind == "whole":
                codes[(codes == OK) & (nums != np.round(nums))] = NOT_WHOLE
            if col.min is not None:
                codes[(codes == OK) & (nums < col.min)] = BELOW
            if col.max is not None:
                codes[(codes == OK) & (nums > col.max)] = ABOVE
        shown = nums.copy()  # out-of-range values are shown as numbers in messages
        nums = nums.copy()
        nums[codes != OK] = np.nan
        parsed = nums
    elif col.kind == "date":
        shown = None
        dates, codes = _per_distinct(raw, lambda cells: _date_values(cells, date_format))
        dates[codes != OK] = np.datetime64("NaT")
        parsed = dates
    else:  # bool
        shown = None
        flags, codes = parse_bools(raw)
        parsed = flags
    if col.blank_ok:
        codes = np.where(codes == BLANK, OK, codes).astype(np.int8)
    for code in np.unique(codes):
        if code == OK:
            continue
        where = np.flatnonzero(codes == code)
        problems.add(where, col.name, _message(raw, col, int(code), shown), order)
    return parsed


_DISTINCT_MIN_ROWS = 4096  # below this, parsing every cell is as quick as encoding them


def _per_distinct(raw: pd.Series, parse: Callable[[pd.Series], tuple[np.ndarray, np.ndarray]]
                  ) -> tuple[np.ndarray, np.ndarray]:
    """``parse(raw)``, done once per distinct cell when cells repeat (a pipeline's close
    dates and amounts do: a quarter has 90 days). The answer is the same either way."""
    if raw.dtype == _TEXT and len(raw) >= _DISTINCT_MIN_ROWS:
        codes, uniques = distinct(raw)
        if len(uniques) * 4 <= len(raw):
            values, problems = parse(uniques)
            return values[codes], problems[codes]
    values, problems = parse(raw)
    return values.copy(), problems


def _date_values(cells: pd.Series, date_format: str | None) -> tuple[np.ndarray, np.ndarray]:
    dates, codes = parse_dates(cells, date_format)
    return dates.to_numpy(dtype="datetime64[ns]"), codes


def _message(raw: pd.Series, col: Column, code: int,
             numbers: np.ndarray | None = None) -> Callable[[int], str]:
    name = _CODE_NAMES[code]
    key = col.messages.get(name) or (f"core.table.bad_{col.kind}" if name == "bad"
                                     else f"core.table.{name}")
    kind = t(f"core.table.kind_{col.kind}")
    fix = t(col.fix) if col.fix else ""

    def message(pos: int) -> str:
        value = raw.iloc[pos]
        shown = repr(value.strip() if isinstance(value, str) else value)
        if isinstance(value, float | np.floating):
            shown = repr(float(value)) if not np.isfinite(value) else f"{value:g}"
        number = "" if numbers is None or np.isnan(numbers[pos]) else f"{numbers[pos]:g}"
        return t(key, value=shown, number=number or shown, column=col.name, kind=kind,
                 min=_fmt(col.min), max=_fmt(col.max), bound=f"{MAX_ABS:.0e}", fix=fix,
                 **col.values)
    return message


def _fmt(bound: float | None) -> str:
    return "" if bound is None else f"{bound:g}"
