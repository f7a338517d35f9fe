"""The domain (store, models, importers, timeframes, seed, CLI commands) never imports Textual."""

import subprocess
import sys

DOMAIN = ["accountability_tui.domain.models", "accountability_tui.domain.timeframes", "accountability_tui.domain.cleaning",
          "accountability_tui.domain.mechanisms", "accountability_tui.store", "accountability_tui.importers",
          "accountability_tui.services", "accountability_tui.services.seed", "accountability_tui.services.database",
          "accountability_tui.cli"]


def test_domain_modules_do_not_import_textual():
    code = ("import sys\n"
            + "".join(f"import {m}\n" for m in DOMAIN)
            + "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
            + "print(','.join(bad))\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert result.stdout.strip() == "", f"Textual imported by the domain: {result.stdout.strip()}"


def test_the_command_line_runs_without_loading_textual(seeded_path):
    code = ("import sys\nfrom accountability_tui.cli import main\n"
            f"main(['overdue', '--db', {str(seeded_path)!r}, '--json'])\n"
            "print('TEXTUAL' if any(m.startswith('textual') for m in sys.modules) else 'CLEAN', file=sys.stderr)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert result.stderr.strip().endswith("CLEAN")
