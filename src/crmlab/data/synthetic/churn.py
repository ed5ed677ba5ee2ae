"""Synthetic customers with churn flags, churn dates and free-text reasons (English and Chinese).

The catalogue names it ``synthetic_churn`` (kind ``customers``): one row per customer with ``customer_id,
segment, signup_date, churned (0/1), churn_date, reason, revenue, margin``; and
``synthetic_churn_transactions`` (kind ``transactions``): the purchases of the same customers, for the
"no purchase within N days" definition of churn (`make_churn_transactions`).

Planted truth (`make_churn`, default arguments):

- Segments ``basic`` / ``standard`` / ``premium`` hold 50% / 35% / 15% of customers and churn at
  exactly `SEGMENT_CHURN` (16% / 10% / 5%) over 2024-2025 (counts are rounded, not sampled).
- Within each segment the exit types of the churners have exactly the shares of `CAUSE_SHARES`
  (rounded counts): price dominates in basic, product and technology in premium. 3% of reasons
  are deliberately unclassifiable ("see ticket notes") and must show up as unmapped.
- Each reason is one of `REASON_TEMPLATES`, which gives its exit type and its textbook win-back type,
  written in Chinese for a share ``zh_share`` of churners; 5% of "other" reasons are empty.
- Churn dates are uniform over 2024-01-01 to 2025-12-31, except that half of the price exits fall in
  2025Q1 (a price rise on 2025-01-01).
- Yearly revenue is lognormal with median `SEGMENT_REVENUE` (600 / 1,200 / 3,000); margin is
  `SEGMENT_MARGIN` (0.10 / 0.15 / 0.25) plus noise of sd 0.02, clipped to [0.02, 0.6].
"""

from __future__ import annotations

import numpy as np
import pandas as pd

SEGMENTS = ("basic", "standard", "premium")
SEGMENT_SIZE = {"basic": 0.50, "standard": 0.35, "premium": 0.15}
SEGMENT_CHURN = {"basic": 0.16, "standard": 0.10, "premium": 0.05}
SEGMENT_REVENUE = {"basic": 600.0, "standard": 1200.0, "premium": 3000.0}
SEGMENT_MARGIN = {"basic": 0.10, "standard": 0.15, "premium": 0.25}

#: Planted share of each exit type among a segment's churners ("unmapped": unclassifiable text).
CAUSE_SHARES: dict[str, dict[str, float]] = {
    "basic": {"price": 0.45, "product": 0.20, "technology": 0.15, "political": 0.05, "other": 0.12, "unmapped": 0.03},
    "standard": {
        "price": 0.35,
        "product": 0.25,
        "technology": 0.20,
        "political": 0.05,
        "other": 0.12,
        "unmapped": 0.03,
    },
    "premium": {"price": 0.15, "product": 0.35, "technology": 0.30, "political": 0.08, "other": 0.09, "unmapped": 0.03},
}

#: (exit type, win-back type, English reason, Chinese reason); None is an empty reason.
REASON_TEMPLATES: tuple[tuple[str, str, str | None, str | None], ...] = (
    ("price", "price_seeker", "Found a cheaper price elsewhere", "别家价格更便宜"),
    ("price", "price_seeker", "Too expensive", "太贵了"),
    ("price", "competitor_offer", "Competitor made a better offer", "竞争对手优惠更大"),
    ("price", "left_despite_retention", "Price increase, declined our retention discount", "涨价，拒绝了挽留折扣"),
    ("product", "lost_condition", "Moved out of the area", "搬离了本地区"),
    ("product", "left_despite_retention", "Poor service quality", "服务质量差"),
    ("product", "lost_condition", "No longer need the product", "不再需要该产品"),
    ("product", "left_despite_retention", "Product kept breaking", "产品老是出故障"),
    ("technology", "competitor_offer", "Switched to a technically better alternative", "换用了技术更好的替代品"),
    ("technology", "competitor_offer", "The app is outdated", "应用太落后了"),
    ("technology", "competitor_offer", "Prefer the online alternative", "更喜欢线上替代方案"),
    ("political", "left_despite_retention", "Concerned about the company's pollution", "不满公司的污染问题"),
    ("political", "left_despite_retention", "Boycott over social responsibility", "因社会责任问题抵制"),
    ("other", "dropped_by_firm", "Account closed by us for non-payment", "因欠费被我方关闭账户"),
    ("other", "lost_condition", "Retired", "已退休"),
    ("other", "left_despite_retention", "No reason given", "未说明原因"),
    ("unmapped", "left_despite_retention", "See ticket notes", "详见工单备注"),
)

START, END = pd.Timestamp("2024-01-01"), pd.Timestamp("2025-12-31")
PRICE_RISE = pd.Timestamp("2025-01-01")


def _counts(total: int, shares: dict[str, float]) -> dict[str, int]:
    """Split ``total`` into integer counts proportional to ``shares`` (largest remainders)."""
    raw = {k: total * v for k, v in shares.items()}
    counts = {k: int(np.floor(v)) for k, v in raw.items()}
    for key in sorted(raw, key=lambda k: raw[k] - counts[k], reverse=True)[: total - sum(counts.values())]:
        counts[key] += 1
    return counts


def _reasons(
    rng: np.random.Generator, cause: str, n: int, zh_share: float
) -> tuple[list[str | None], list[pd.Timestamp]]:
    """``n`` reasons of exit type ``cause``, and their churn dates."""
    templates = [tpl for tpl in REASON_TEMPLATES if tpl[0] == cause]
    picks = rng.integers(0, len(templates), n)
    chinese = rng.random(n) < zh_share
    reasons: list[str | None] = [templates[p][3 if z else 2] for p, z in zip(picks, chinese, strict=True)]
    if cause == "other":
        reasons = [None if e else r for r, e in zip(reasons, rng.random(n) < 0.05, strict=True)]
    span = (END - START).days
    days = rng.integers(0, span + 1, n)
    if cause == "price":
        spike = rng.random(n) < 0.5
        days = np.where(spike, (PRICE_RISE - START).days + rng.integers(0, 90, n), days)
    return reasons, [START + pd.Timedelta(days=int(d)) for d in days]


def make_churn(n_customers: int = 8000, *, zh_share: float = 0.5, seed: int = 0) -> pd.DataFrame:
    """Customers with planted churn rates, exit types and values (see the module docstring).

    Parameters
    ----------
    n_customers
        Number of customers.
    zh_share
        Share of churners whose reason is written in Chinese.
    seed
        Random seed; the same seed gives the same data.

    Returns
    -------
    DataFrame
        ``customer_id, segment, signup_date, churned, churn_date, reason, revenue, margin``.
    """
    rng = np.random.default_rng(seed)
    frames = []
    for segment, size in _counts(n_customers, SEGMENT_SIZE).items():
        n_churned = round(size * SEGMENT_CHURN[segment])
        reasons: list[str | None] = []
        dates: list[pd.Timestamp] = []
        for cause, count in _counts(n_churned, CAUSE_SHARES[segment]).items():
            r, d = _reasons(rng, cause, count, zh_share)
            reasons += r
            dates += d
        frame = pd.DataFrame(
            {
                "segment": segment,
                "churned": [1] * n_churned + [0] * (size - n_churned),
                "churn_date": pd.to_datetime(pd.Series(dates)).reindex(range(size)),
                "reason": pd.Series(reasons + [None] * (size - n_churned), dtype="object"),
            }
        )
        frame["revenue"] = np.round(SEGMENT_REVENUE[segment] * rng.lognormal(0.0, 0.5, size), 2)
        frame["margin"] = np.round(np.clip(SEGMENT_MARGIN[segment] + rng.normal(0, 0.02, size), 0.02, 0.6), 3)
        frames.append(frame)
    out = pd.concat(frames, ignore_index=True).sample(frac=1.0, random_state=seed).reset_index(drop=True)
    signup_days = rng.integers(0, 730, len(out))
    out["signup_date"] = pd.Timestamp("2022-01-01") + pd.to_timedelta(signup_days, unit="D")
    out["customer_id"] = [f"C{i:05d}" for i in range(1, len(out) + 1)]
    columns = ["customer_id", "segment", "signup_date", "churned", "churn_date", "reason", "revenue", "margin"]
    return out[columns]


def make_churn_transactions(n_customers: int = 8000, *, seed: int = 0, mean_gap_days: float = 45.0) -> pd.DataFrame:
    """Purchases of the `make_churn` customers (same ``n_customers`` and ``seed``).

    Planted truth: each customer buys at exponential gaps of mean ``mean_gap_days`` from
    max(sign-up, 2023-01-01) until their churn date (churned customers) or 2025-12-31. A line's
    amount is the customer's yearly revenue spread over the expected purchases, times lognormal
    noise (sd 0.3), so a year of purchases adds up to about the yearly revenue. With
    ``inactive_days=180`` an active customer is wrongly seen as churned with probability about
    exp(-180/45) = 1.8%, and a churner's inactivity churn date is their last purchase + 180 days.

    Returns
    -------
    DataFrame
        ``customer_id, invoice_id, item_id, quantity, unit_price, amount, timestamp``.
    """
    rng = np.random.default_rng(seed + 1)
    customers = make_churn(n_customers, seed=seed)
    first = pd.Timestamp("2023-01-01")
    begin = customers["signup_date"].where(customers["signup_date"] >= first, first)
    end = customers["churn_date"].fillna(END)
    horizon = int(np.ceil(((END - pd.Timestamp("2023-01-01")).days / mean_gap_days) * 2 + 20))
    gaps = rng.exponential(mean_gap_days, size=(len(customers), horizon)).cumsum(axis=1)
    days = (begin - START).dt.days.to_numpy()[:, None] + gaps
    keep = days <= (end - START).dt.days.to_numpy()[:, None]
    rows, _ = np.nonzero(keep)
    per_purchase = customers["revenue"].to_numpy() * mean_gap_days / 365.0
    amount = np.round(per_purchase[rows] * rng.lognormal(0.0, 0.3, len(rows)), 2)
    out = pd.DataFrame(
        {
            "customer_id": customers["customer_id"].to_numpy()[rows],
            "invoice_id": [f"I{i:07d}" for i in range(1, len(rows) + 1)],
            "item_id": customers["segment"].to_numpy()[rows],
            "quantity": 1,
            "unit_price": amount,
            "amount": amount,
            "timestamp": START + pd.to_timedelta(np.floor(days[keep]), unit="D"),
        }
    )
    return out.sort_values(["timestamp", "invoice_id"], ignore_index=True)
