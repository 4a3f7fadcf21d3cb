"""The core of commission-qa: the typed records passed between packages
(:mod:`core.records`), the exception hierarchy (:mod:`core.errors`), the glossary and the word
lists (data files beside the code). Every other package may import it; it imports none of them."""

__version__ = "0.1.0"
