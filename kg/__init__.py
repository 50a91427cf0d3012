"""kg: a knowledge graph of bilateral diplomatic relations built from readouts."""

__version__ = "0.1.0"
