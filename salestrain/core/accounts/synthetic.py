"""A seeded sample customer book: customers, transactions and buying-centre contacts.

Pure and seeded (same seed, same book): the lessons, apps, benchmarks and the
``salestrain sample-book`` command practise on it; io/accounts.py reads real books.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from salestrain.core.accounts.buying_centre import ROLES

# Product lines of a fictional online-recruitment vendor (the handouts' industry),
# with typical gross-margin rates: job ads are the low-margin "traffic" product.
PRODUCT_LINES = {
    "job_ads": 0.28,
    "campus": 0.34,
    "branding": 0.55,
    "assessment": 0.62,
}
LINE_MIX = (0.45, 0.15, 0.20, 0.20)
OWNERSHIP = ("private", "state_owned", "joint_venture", "government", "listed")
INDUSTRIES = ("logistics", "pharma", "retail", "banking", "energy", "electronics",
              "food", "software", "auto_parts", "hotels", "construction", "telecom")
_PLACES = ("Jade River", "Northstar", "Silver Pine", "Blue Harbor", "Redcliff", "Eastwind",
           "Golden Field", "Lotus Bay", "Cloudpeak", "Stonebridge", "Maple Ridge", "Crane Lake",
           "Pearl Delta", "Iron Hill", "Willow Gate", "Bright Lantern", "Twin Peaks", "Amber Coast",
           "Swift Current", "Green Terrace")
_SECTOR_WORD = {"logistics": "Logistics", "pharma": "Pharma", "retail": "Retail",
                "banking": "Commercial Bank", "energy": "Energy", "electronics": "Electronics",
                "food": "Foods", "software": "Software", "auto_parts": "Auto Parts",
                "hotels": "Hotels", "construction": "Construction", "telecom": "Telecom"}
_SURNAMES = ("Chen", "Lin", "Zhou", "Xu", "Sun", "Ma", "Hu", "Guo", "He", "Gao", "Luo", "Zheng",
             "Liang", "Xie", "Tang", "Han", "Cao", "Deng", "Feng", "Peng")
_GIVEN = ("Wei", "Jing", "Hao", "Min", "Lei", "Yan", "Tao", "Xin", "Jun", "Ning", "Rui", "Qing",
          "Bo", "Lan", "Fei", "Yu", "Kai", "Hui", "Ping", "Zhen")
REPS = ("Ada Wen", "Ben Qiao", "Cora Lu", "Dan Mei", "Eve Shao", "Finn Yao")
# The same fictional places, sectors and people for a Chinese learner, position for
# position: a book generated with names="zh_CN" has the same numbers, in Chinese names.
_NAMES_ZH = {
    "places": ("玉河", "北辰", "银松", "蓝港", "赤崖", "东风", "金田", "莲湾", "云峰", "石桥",
               "枫岭", "鹤湖", "珠洲", "铁山", "柳门", "明灯", "双峰", "琥滨", "迅川", "青台"),
    "sectors": {"logistics": "物流", "pharma": "医药", "retail": "零售", "banking": "商业银行",
                "energy": "能源", "electronics": "电子", "food": "食品", "software": "软件",
                "auto_parts": "汽车零部件", "hotels": "酒店", "construction": "建工",
                "telecom": "通信"},
    "surnames": ("陈", "林", "周", "许", "孙", "马", "胡", "郭", "何", "高", "罗", "郑", "梁", "谢",
                 "唐", "韩", "曹", "邓", "冯", "彭"),
    "given": ("伟", "静", "浩", "敏", "磊", "燕", "涛", "欣", "军", "宁", "睿", "清", "波", "兰",
              "飞", "宇", "凯", "慧", "平", "震"),
    "reps": ("温雅", "乔斌", "陆可", "梅丹", "邵怡", "姚帆"),
}
_NAMES_EN = {"places": _PLACES, "sectors": _SECTOR_WORD, "surnames": _SURNAMES, "given": _GIVEN,
             "reps": REPS}


def _names(lang: str) -> dict:
    return _NAMES_ZH if lang.startswith("zh") and lang not in ("zh_TW", "zh_HK") else _NAMES_EN
MONTH_WEIGHTS = (0.6, 0.7, 1.3, 1.2, 1.0, 0.9, 0.8, 0.9, 1.3, 1.1, 1.0, 0.9)  # hiring seasons


@dataclass(frozen=True)
class Book:
    """A customer book: the three tables and the date it describes."""

    customers: pd.DataFrame
    transactions: pd.DataFrame
    contacts: pd.DataFrame
    as_of: date


def generate_book(n_customers: int = 120, n_reps: int = 4, seed: int = 0,
                  start: date = date(2024, 1, 1), as_of: date = date(2025, 9, 30),
                  churn_share: float = 0.15, names: str = "en") -> Book:
    """A realistic fictional book: skewed spend, seasonal orders, some accounts fading.

    Annual spend is log-normal (a few large accounts, many small ones: the 80/20
    the course starts from); a ``churn_share`` of accounts stop ordering in the last
    months and renew less, so the churn warning has something to find. ``names`` is
    the language of the companies' and people's names ("en" or "zh_CN"); the numbers
    do not depend on it.
    """
    words = _names(names)
    if n_customers < 1 or not 1 <= n_reps <= len(REPS):
        raise ValueError(f"need n_customers >= 1 and 1 <= n_reps <= {len(REPS)}")
    rng = np.random.default_rng(seed)
    fade = np.random.default_rng([seed, 1])  # how fading accounts fade (see below)
    start_ts, end_ts = pd.Timestamp(start), pd.Timestamp(as_of)
    days = pd.date_range(start_ts, end_ts, freq="D")
    day_w = np.array([MONTH_WEIGHTS[d.month - 1] for d in days])
    years = len(days) / 365.0

    ids = [f"C{i:03d}" for i in range(1, n_customers + 1)]
    company = _company_names(rng, n_customers, words)
    industry = rng.choice(INDUSTRIES, n_customers)
    ownership = rng.choice(OWNERSHIP, n_customers, p=(0.45, 0.2, 0.1, 0.1, 0.15))
    spend = rng.lognormal(mean=np.log(30_000), sigma=1.3, size=n_customers)  # yuan a year
    reps = [words["reps"][i % n_reps] for i in rng.permutation(n_customers)]
    fading = rng.random(n_customers) < churn_share

    tx_rows = []
    for i, cid in enumerate(ids):
        orders_per_year = 4 + 10 * (spend[i] / (spend[i] + 80_000))
        n = max(1, rng.poisson(orders_per_year * years))
        w = day_w.copy()
        if fading[i]:
            # The account fades somewhere in the last five months, some to a trickle and some
            # to silence: alerts that differ, as a real book's do. The draw of the main stream
            # is kept (unused) so every other account's numbers stay as they were; the fade
            # comes from a stream of its own.
            rng.integers(100, 150)
            stop = end_ts - pd.Timedelta(days=int(fade.integers(30, 150)))
            w[days > stop] *= fade.uniform(0.02, 0.5)
        when = rng.choice(len(days), size=n, p=w / w.sum())
        lines = rng.choice(list(PRODUCT_LINES), size=n, p=LINE_MIX)
        amounts = spend[i] * years / n * rng.lognormal(0, 0.35, n)
        for d, line, amount in zip(when, lines, amounts, strict=True):
            rate = PRODUCT_LINES[line] + rng.normal(0, 0.04)
            revenue = float(round(amount, -1))
            tx_rows.append((days[d], cid, line, revenue, float(round(revenue * rate, 0))))
    tx = pd.DataFrame(tx_rows, columns=["date", "customer_id", "product_line", "revenue", "margin"])
    tx = tx.sort_values(["date", "customer_id"], kind="mergesort").reset_index(drop=True)

    pct = pd.Series(spend).rank(pct=True).to_numpy()
    renewal = np.clip(rng.beta(10, 2, n_customers) - 0.35 * fading, 0, 1).round(2)
    # small accounts cost relatively more to serve; a few large ones are demanding
    cost = 1_500 + 0.08 * spend * rng.lognormal(0, 0.5, n_customers)
    cost[rng.random(n_customers) < 0.08] *= 3
    gap = rng.exponential(10 + 80 * (1 - pct))
    last_visit = [(end_ts - pd.Timedelta(days=int(g))).date() for g in gap]
    customers = pd.DataFrame({
        "customer_id": ids, "name": company, "industry": industry, "ownership": ownership,
        "rep": reps, "renewal_rate": renewal, "cost_to_serve": cost.round(-1),
        "last_visit": pd.to_datetime(last_visit),
    })

    c_rows = []
    for i, cid in enumerate(ids):
        for role in ROLES:
            known = rng.random() < 0.45 + 0.5 * pct[i]
            name = _person(rng, words) if known else ""  # drawn only when known: same seed, same book
            met = bool(known and rng.random() < 0.5 + 0.4 * pct[i])
            c_rows.append((cid, role, name, met))
    contacts = pd.DataFrame(c_rows, columns=["customer_id", "role", "name", "met"])
    return Book(customers, tx, contacts, as_of)


def _person(rng: np.random.Generator, words: dict) -> str:
    surname, given = rng.choice(words["surnames"]), rng.choice(words["given"])
    return f"{surname}{given}" if words is _NAMES_ZH else f"{surname} {given}"


def _company_names(rng: np.random.Generator, n: int, words: dict) -> list[str]:
    seen: set[str] = set()
    out = []
    gap = "" if words is _NAMES_ZH else " "  # 玉河物流, Jade River Logistics
    while len(out) < n:
        base = f"{rng.choice(words['places'])}{gap}{words['sectors'][rng.choice(INDUSTRIES)]}"
        # A second company of the same name gets a number: "Lotus Bay Hotels 100", 莲湾酒店（100）
        number = f" {len(out) + 1}" if gap else f"（{len(out) + 1}）"
        name = base if base not in seen else f"{base}{number}"
        seen.add(name)
        out.append(name)
    return out


def monthly_revenue(transactions: pd.DataFrame, year: int) -> pd.Series:
    """Revenue per month (1-12) of one year; months without orders are absent."""
    tx = transactions[transactions["date"].dt.year == year]
    return tx.groupby(tx["date"].dt.month)["revenue"].sum()


# -- loading with cell-level checks ------------------------------------------------------
