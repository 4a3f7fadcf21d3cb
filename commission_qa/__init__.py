"""commission-qa: cited question answering over the records of a health equity commission.

This package is the top of the house: the one command line (:mod:`commission_qa.cli`), which
imports every other package and is imported by none. The library packages are ``core`` (records,
errors, word lists), ``encoders`` (embedding models), ``ingest`` (read, recover layout, chunk),
``index`` (the on-disk index and the retriever), ``eval`` (gold sets, metrics, baselines, gate),
``bench`` (benchmarks) and ``qa_service`` (the HTTP layer).
"""

from core import __version__

__all__ = ["__version__"]
