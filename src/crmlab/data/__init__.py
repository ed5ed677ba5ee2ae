"""The data layer: schemas and validation, reading users' files, named data sets, cleaning."""

from crmlab.data.catalogue import DatasetInfo, available, info, load
from crmlab.data.io import detect_encoding, read
from crmlab.data.schemas import validate

__all__ = ["DatasetInfo", "available", "detect_encoding", "info", "load", "read", "validate"]
