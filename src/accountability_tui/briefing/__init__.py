"""Briefings as documents: what one is made of (model), how it is written (markdown), and writing the file (files).
What goes into one is worked out by services/briefing.py."""
