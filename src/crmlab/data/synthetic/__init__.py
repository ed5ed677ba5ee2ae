"""Seeded synthetic data with documented, planted truth.

One module per domain. Every generator takes ``seed`` and returns identical data for the same seed;
its docstring states the truth it plants, so tests can check that a method recovers it. The named
data sets built from them are listed in `crmlab.data.catalogue`.
"""
