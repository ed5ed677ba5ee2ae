"""Synthetic supermarket baskets and customers with planted rules and a planted purchase type.

`make_baskets(seed)` returns ``(lines, customers)``. Item names are English (``lang="en"``) or
Chinese (``lang="zh"``); the truth is the same. Planted truth (English names, Chinese in brackets):

- **diapers (尿布) -> beer (啤酒)**: a basket with diapers also gets beer with probability 0.55;
  beer's background rate is 0.08, so the lift of "if diapers then beer" is about 4-5.
- **{bread, butter} (面包、黄油) -> jam (果酱)**: with both, jam is added with probability 0.6
  (background 0.04).
- **chips (薯片) -> salsa (莎莎酱)**: probability 0.5 (background 0.03).
- **Purchase type "trendy" (时尚型) = wine + sweets + gourmet coffee (葡萄酒、糖果、精品咖啡)**:
  a trendy customer's basket holds all three with probability 0.5. A customer is trendy with
  probability 0.75 when a woman (gender F / 女) aged 25-45 with income >= 60 (thousand), else 0.03.
- **Attribute rule**: married (yes / 已婚) customers aged 50-59 own two or more cars with
  probability 0.6; everyone else 0.15.

Everything else is independent background noise with per-item rates between 0.03 and 0.25.
The catalogue names them ``synthetic_baskets`` / ``synthetic_baskets_zh`` (basket lines, kind ``transactions``)
and ``synthetic_basket_customers`` / ``synthetic_basket_customers_zh`` (kind ``customers``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["ITEMS", "PLANTED_TYPES", "basket_customers", "basket_lines", "make_baskets", "planted_types"]

#: item id -> (English name, Chinese name, background rate, unit price)
ITEMS: dict[str, tuple[str, str, float, float]] = {
    "I01": ("bread", "面包", 0.25, 1.8),
    "I02": ("butter", "黄油", 0.15, 2.5),
    "I03": ("jam", "果酱", 0.04, 3.2),
    "I04": ("milk", "牛奶", 0.25, 1.2),
    "I05": ("eggs", "鸡蛋", 0.18, 2.9),
    "I06": ("diapers", "尿布", 0.10, 12.0),
    "I07": ("beer", "啤酒", 0.08, 6.5),
    "I08": ("chips", "薯片", 0.12, 1.9),
    "I09": ("salsa", "莎莎酱", 0.03, 2.7),
    "I10": ("wine", "葡萄酒", 0.05, 11.0),
    "I11": ("sweets", "糖果", 0.08, 2.2),
    "I12": ("gourmet coffee", "精品咖啡", 0.04, 9.5),
    "I13": ("apples", "苹果", 0.20, 2.4),
    "I14": ("bananas", "香蕉", 0.18, 1.6),
    "I15": ("rice", "大米", 0.12, 4.5),
    "I16": ("noodles", "面条", 0.10, 1.5),
    "I17": ("tea", "茶叶", 0.07, 6.0),
    "I18": ("yogurt", "酸奶", 0.14, 1.1),
    "I19": ("cheese", "奶酪", 0.09, 4.8),
    "I20": ("chicken", "鸡肉", 0.12, 7.5),
    "I21": ("tofu", "豆腐", 0.08, 1.3),
    "I22": ("soy sauce", "酱油", 0.06, 2.1),
    "I23": ("detergent", "洗衣液", 0.05, 8.9),
    "I24": ("tissues", "纸巾", 0.10, 3.3),
    "I25": ("toothpaste", "牙膏", 0.04, 3.9),
    "I26": ("cola", "可乐", 0.15, 1.4),
    "I27": ("water", "矿泉水", 0.16, 0.8),
    "I28": ("ice cream", "冰淇淋", 0.06, 4.2),
}
#: Planted purchase types: name -> item ids, per language.
PLANTED_TYPES: dict[str, dict[str, list[str]]] = {
    "en": {"trendy": ["wine", "sweets", "gourmet coffee"]},
    "zh": {"时尚型": ["葡萄酒", "糖果", "精品咖啡"]},
}
_TRENDY_IDS = ("I10", "I11", "I12")
_VALUES = {
    "en": {"F": "F", "M": "M", "yes": "yes", "no": "no"},
    "zh": {"F": "女", "M": "男", "yes": "已婚", "no": "未婚"},
}


def _customers(rng: np.random.Generator, n: int, lang: str) -> tuple[pd.DataFrame, np.ndarray]:
    values = _VALUES[lang]
    female = rng.random(n) < 0.5
    age = rng.integers(18, 80, n)
    income = np.round(np.exp(rng.normal(np.log(45.0), 0.5, n)), 1)
    married = rng.random(n) < np.clip((age - 18) / 40, 0.1, 0.75)
    two_cars = rng.random(n) < np.where(married & (age >= 50) & (age <= 59), 0.6, 0.15)
    cars = np.where(two_cars, rng.integers(2, 4, n), rng.integers(0, 2, n))
    trendy_profile = female & (age >= 25) & (age <= 45) & (income >= 60)
    trendy = rng.random(n) < np.where(trendy_profile, 0.75, 0.03)
    customers = pd.DataFrame(
        {
            "customer_id": [f"C{i:05d}" for i in range(1, n + 1)],
            "gender": np.where(female, values["F"], values["M"]),
            "age": age,
            "income": income,
            "married": np.where(married, values["yes"], values["no"]),
            "cars": cars,
        }
    )
    return customers, trendy


def _basket_matrix(rng: np.random.Generator, owner_trendy: np.ndarray) -> np.ndarray:
    ids = list(ITEMS)
    rates = np.array([ITEMS[i][2] for i in ids])
    col = {item: k for k, item in enumerate(ids)}
    has = rng.random((owner_trendy.size, len(ids))) < rates
    n = owner_trendy.size
    has[:, col["I07"]] |= has[:, col["I06"]] & (rng.random(n) < 0.55)
    has[:, col["I03"]] |= has[:, col["I01"]] & has[:, col["I02"]] & (rng.random(n) < 0.6)
    has[:, col["I09"]] |= has[:, col["I08"]] & (rng.random(n) < 0.5)
    trendy_basket = owner_trendy & (rng.random(n) < 0.5)
    for item in _TRENDY_IDS:
        has[:, col[item]] |= trendy_basket
    empty = ~has.any(axis=1)
    has[empty, col["I04"]] = True  # every basket buys something: milk
    return has


def make_baskets(
    seed: int = 0, *, n_customers: int = 1500, mean_baskets: float = 5.0, lang: str = "en"
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Basket lines and customers with the planted truth of the module docstring.

    Parameters
    ----------
    seed
        Random seed; the same seed gives the same data.
    n_customers
        Number of customers.
    mean_baskets
        Mean number of baskets per customer: each has 1 + Poisson(``mean_baskets`` - 1).
    lang
        ``"en"`` or ``"zh"``: language of item names and of the gender / married values.

    Returns
    -------
    lines, customers
        ``lines``: ``invoice_id``, ``customer_id``, ``item_id``, ``item_name``, ``item`` (the name
        used in analyses), ``quantity``, ``unit_price``, ``amount``, ``timestamp``.
        ``customers``: ``customer_id``, ``gender``, ``age``, ``income`` (thousands a year),
        ``married``, ``cars``.
    """
    rng = np.random.default_rng(seed)
    customers, trendy = _customers(rng, n_customers, lang)
    per_customer = 1 + rng.poisson(mean_baskets - 1, n_customers)
    owner = np.repeat(np.arange(n_customers), per_customer)
    has = _basket_matrix(rng, trendy[owner])
    basket, item = np.nonzero(has)
    ids = np.array(list(ITEMS))
    names = np.array([ITEMS[i][1 if lang == "zh" else 0] for i in ids])
    prices = np.array([ITEMS[i][3] for i in ids])
    quantity = rng.integers(1, 4, basket.size)
    start = np.datetime64("2024-01-01T08:00")
    minutes = np.sort(rng.integers(0, 365 * 24 * 60, owner.size))
    lines = pd.DataFrame(
        {
            "invoice_id": pd.array([f"B{b + 1:06d}" for b in basket], dtype="string"),
            "customer_id": customers["customer_id"].to_numpy()[owner[basket]],
            "item_id": ids[item],
            "item_name": names[item],
            "item": names[item],
            "quantity": quantity,
            "unit_price": prices[item],
            "amount": np.round(quantity * prices[item], 2),
            "timestamp": pd.to_datetime(start + minutes[basket].astype("timedelta64[m]")),
        }
    )
    return lines, customers


def basket_lines(lang: str = "en") -> pd.DataFrame:
    """The demo basket lines (seed 0) with item names in ``lang``."""
    return make_baskets(0, lang=lang)[0]


def basket_customers(lang: str = "en") -> pd.DataFrame:
    """The demo customers (seed 0) with attribute values in ``lang``."""
    return make_baskets(0, lang=lang)[1]


def planted_types(dataset: str = "synthetic_baskets") -> dict[str, list[str]]:
    """The purchase types planted in the named data set ``dataset``; {} for any other data set.

    The demo report uses them when the user gives no purchase types: ``synthetic_baskets`` has the
    English type, ``synthetic_baskets_zh`` the same type in Chinese item names.

    >>> planted_types("synthetic_baskets_zh"), planted_types("cdnow_master")
    ({'时尚型': ['葡萄酒', '糖果', '精品咖啡']}, {})
    """
    lang = {"synthetic_baskets": "en", "synthetic_baskets_zh": "zh"}.get(dataset)
    return {name: list(items) for name, items in PLANTED_TYPES[lang].items()} if lang else {}
