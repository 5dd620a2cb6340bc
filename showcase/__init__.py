"""Showcase: judging for hackathon showcases."""

__version__ = "0.1.0"
