"""accountability-tui: prepare the PCC's monthly Accountability and Performance Meeting from the terminal.

The package root imports nothing heavy: the CLI starts fast and the domain never pulls in Textual.
"""

__version__ = "0.1.0"
