"""commission-qa: cited question answering over the records of a health equity commission.

The core packages are ``ingest`` (read, structure, chunk, embed), ``index`` (the on-disk index and
the retriever) and ``eval`` (gold set, metrics, baselines). ``qa_service`` is the HTTP layer on top.
Records shared across those packages live in :mod:`commission_qa.records`; the exception hierarchy
in :mod:`commission_qa.errors`.
"""

__version__ = "0.1.0"
