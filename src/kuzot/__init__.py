"""Kuzot: documentation, monitoring and statistics for NGO coalitions against torture."""

__version__ = "0.1.0"
