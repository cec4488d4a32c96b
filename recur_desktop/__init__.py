"""Recur Desktop: a resume library and analysis tool for recruiters."""

__version__ = "0.1.0"
