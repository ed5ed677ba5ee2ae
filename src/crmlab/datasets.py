"""Named data sets and readers for users' files.

- `load(name)` loads a named data set: real data shipped inside installed wheels, or a seeded
  synthetic one from `crmlab.synthetic`.
- `read(path, kind=..., columns={...})` reads a user's CSV, Excel or Parquet file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from crmlab.errors import InputError, did_you_mean


@dataclass(frozen=True)
class DatasetInfo:
    """A named data set: how to load it and where it comes from."""

    name: str
    kind: str
    description: str
    source: str
    licence: str
    loader: Callable[[], pd.DataFrame]
    citation: str = ""


_REGISTRY: dict[str, DatasetInfo] = {}


def register(info: DatasetInfo) -> None:
    """Add a named data set to the registry (synthetic modules call this at import)."""
    _REGISTRY[info.name] = info


def _registry() -> dict[str, DatasetInfo]:
    import crmlab.synthetic  # noqa: F401  (its modules register the synthetic data sets)

    return _REGISTRY


def available() -> pd.DataFrame:
    """One row per named data set: name, kind, description, source, licence."""
    rows = [
        {"name": i.name, "kind": i.kind, "description": i.description, "source": i.source, "licence": i.licence}
        for i in _registry().values()
    ]
    return pd.DataFrame(rows).sort_values("name", ignore_index=True)


def info(name: str) -> DatasetInfo:
    """The registry entry of ``name``; an unknown name raises InputError with a suggestion."""
    registry = _registry()
    if name not in registry:
        raise InputError(
            f"There is no data set named {name!r}.{did_you_mean(name, registry)} "
            f"Known data sets: {', '.join(sorted(registry))}."
        )
    return registry[name]


def load(name: str) -> pd.DataFrame:
    """Load the named data set as a DataFrame in its kind's canonical columns."""
    return info(name).loader()
