"""Layouts of records (panel meetings, workshops, minutes, anything else), each as code with
one shape: ``detect(lines) -> score`` and ``parse(text, lines, fallback_title) -> Parsed``.
:func:`ingest.layouts.registry.parse` picks one per record and returns the ``Document``."""
