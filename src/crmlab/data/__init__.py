"""The data layer: schemas and validation, reading users' files, column aliases, named data sets, cleaning."""

from crmlab.data.catalogue import DatasetInfo, available, info, load
from crmlab.data.columns import resolve_columns
from crmlab.data.inputs import Loaded, describe_input, load_input
from crmlab.data.io import detect_encoding, read, read_mapped
from crmlab.data.schemas import validate

__all__ = [
    "DatasetInfo",
    "Loaded",
    "available",
    "describe_input",
    "detect_encoding",
    "info",
    "load",
    "load_input",
    "read",
    "read_mapped",
    "resolve_columns",
    "validate",
]
