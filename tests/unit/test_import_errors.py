"""Unusable files stop the import with one message naming the file, row and column, and change nothing."""

import pytest

from accountability_tui.cli import main
from accountability_tui.domain.errors import ImportFailed
from accountability_tui.importers import import_file

from tablefiles import HEADER, ROWS, csv_text, write_csv


def _cases(tmp_path):
    """(file, words the message must contain)"""
    cases = []

    p = tmp_path / "no-action.csv"
    p.write_text("Ref,Status,Due\n1,In progress,2024\n", encoding="utf-8")
    cases.append((p, ["no-action.csv", "row 1", "no action column", "--column text="]))

    p = tmp_path / "prose.txt"
    p.write_text("Dear colleagues\nPlease find the plan attached.\n", encoding="utf-8")
    cases.append((p, ["prose.txt", "is not a table"]))

    p = tmp_path / "empty.csv"
    p.write_bytes(b"")
    cases.append((p, ["empty.csv", "is not a table"]))

    p = tmp_path / "binary.csv"
    p.write_bytes(b"\x00\x01\x02\x03" * 100)
    cases.append((p, ["binary.csv", "is not a table"]))

    p = tmp_path / "quote.csv"
    p.write_text(csv_text() + 'A9,"Ask the Chief Constable to,In progress,,2024\nA10,More,Done,,2025\n',
                 encoding="utf-8")
    cases.append((p, ["quote.csv", "row 6", "never closed"]))

    rows = [list(r) for r in ROWS] + [["A2", "Another action", "OPCC", "Complete", "", "2024", "", ""]]
    p = write_csv(tmp_path / "dupes.csv", HEADER, rows)
    cases.append((p, ["dupes.csv", "row 6", "column A ('Ref')", "'A2' appears twice (rows 3 and 6)"]))

    rows = [list(r) for r in ROWS]
    rows[2][4] = "x" * (101 * 1024)
    p = write_csv(tmp_path / "huge.csv", HEADER, rows)
    cases.append((p, ["huge.csv", "row 4", "column E ('Progress update')", "100 kB"]))

    p = tmp_path / "broken-utf8.csv"
    p.write_bytes(csv_text().encode("utf-8") + b"A9,Caf\xc3\xa9 \xff bad,OPCC,Done,,2024,,\r\n")
    cases.append((p, ["broken-utf8.csv", "row 6", "column B (character 9)", "0xff", "UTF-8"]))

    p = tmp_path / "undefined.csv"
    p.write_bytes(b"Ref,Action\r\n1,Work \x81 here\r\n")
    cases.append((p, ["undefined.csv", "row 2", "column B", "0x81", "neither UTF-8 nor Windows-1252"]))

    p = tmp_path / "fake.xlsx"
    p.write_bytes(b"PK\x03\x04 this is not really a workbook")
    cases.append((p, ["fake.xlsx", "not a readable XLSX workbook"]))

    p = tmp_path / "old.xls"
    p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    cases.append((p, ["old.xls", ".xlsx or CSV"]))

    p = tmp_path / "header-only.csv"
    p.write_text("Ref,Action,Status\n", encoding="utf-8")
    cases.append((p, ["header-only.csv", "no actions"]))

    p = tmp_path / "long-ref.csv"
    p.write_text("Ref,Action\n" + "R" * 50 + ",Do it\n", encoding="utf-8")
    cases.append((p, ["long-ref.csv", "row 2", "not a ref"]))
    return cases


def test_each_unusable_file_is_refused_with_a_clear_message_and_the_database_unchanged(seeded, tmp_path):
    for path, words in _cases(tmp_path):
        before = seeded.dump()
        with pytest.raises(ImportFailed) as caught:
            import_file(seeded, path)
        message = str(caught.value)
        assert "\n" not in message
        for word in words:
            assert word in message, (path.name, message)
        assert seeded.dump() == before, path.name


def test_the_command_line_prints_one_line_and_exits_non_zero(seeded_path, tmp_path, capsys):
    for path, words in _cases(tmp_path):
        from accountability_tui.store import Store

        with Store.open(seeded_path) as store:
            before = store.dump()
        code = main(["import", str(path), "--db", str(seeded_path), "--json"])
        out, err = capsys.readouterr()
        assert code == 1, path.name
        assert out == ""
        assert err.count("\n") == 1 and err.startswith("accountability-tui: ") and words[0] in err
        assert "Traceback" not in err
        with Store.open(seeded_path) as store:
            assert store.dump() == before, path.name


def test_missing_file(seeded, tmp_path):
    with pytest.raises(ImportFailed, match="no such file"):
        import_file(seeded, tmp_path / "nope.csv")


def test_a_bad_plan_code_is_refused_before_anything_is_written(seeded, tmp_path):
    before = seeded.dump()
    with pytest.raises(Exception, match="plan code"):
        import_file(seeded, write_csv(tmp_path / "p.csv"), plan="not a code!")
    assert seeded.dump() == before
