"""A wheel built from the repository carries the migrations and the seed data, and works on its own."""

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    result = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
                            capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        pytest.fail(f"building the wheel failed:\n{result.stderr[-2000:]}")
    (path,) = out.glob("accountability_tui-*.whl")
    return path


def test_wheel_contains_migrations_and_seed_data(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert "accountability_tui/_data/db/0001_initial.sql" in names
    assert "accountability_tui/_data/seed_data/hertfordshire.json" in names
    assert "accountability_tui/_data/seed_data/sources/004_8cb72b75a6a85661.txt" in names
    assert "accountability_tui/ui/screens/dashboard.tcss" in names


def test_installed_wheel_creates_and_queries_a_seeded_database(wheel, tmp_path):
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    code = (
        "import sys\n"
        f"sys.path.insert(0, {str(site)!r})\n"
        "import accountability_tui.domain.resources as r\n"
        f"assert str(r.migrations_dir()).startswith({str(site)!r}), r.migrations_dir()\n"
        "from accountability_tui.cli import main\n"
        f"sys.exit(main(['overdue', '--db', {str(tmp_path / 'w.db')!r}, '--as-of', '2023-06-01', '--json']) or "
        f"main(['init', '--db', {str(tmp_path / 'w.db')!r}]))\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                            cwd=tmp_path)
    assert result.returncode == 1 and "accountability-tui init" in result.stderr  # no file yet, not created
    code = code.replace("main(['overdue'", "main(['init', '--db', " + repr(str(tmp_path / 'w.db')) + "]) or main(['overdue'")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                            cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "with the Hertfordshire data (234 actions)" in result.stdout
    assert result.stdout.count('"ref"') == 3
