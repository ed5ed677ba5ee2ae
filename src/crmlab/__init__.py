"""crmlab: runnable, parameterized CRM analytics with bilingual (zh/en) HTML reports."""

from importlib.metadata import version as _version

from crmlab.core.csvfile import write_csv
from crmlab.core.notebook import recommend, record, setup

__version__ = _version("crmlab")
__all__ = ["__version__", "recommend", "record", "setup", "write_csv"]
