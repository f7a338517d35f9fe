"""Briefings: what goes into one (build) and how it is written (markdown), and writing the file (export)."""

from .build import SECTIONS, Briefing, Item, Section, build_briefing
from .export import FileExists, export_briefing, write_atomically
from .markdown import render

__all__ = ["SECTIONS", "Briefing", "FileExists", "Item", "Section", "build_briefing", "export_briefing", "render",
           "write_atomically"]
