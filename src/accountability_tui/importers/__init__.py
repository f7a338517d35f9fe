"""Importers: delivery-plan tables (ADP text, CSV, XLSX) and the Police & Crime Plan document."""

from accountability_tui.importers.delivery_plan import (
    ImportReport,
    ImportWarning,
    ParsedTable,
    apply_table,
    import_file,
    parse_table,
)

__all__ = ["ImportReport", "ImportWarning", "ParsedTable", "apply_table", "import_file", "parse_table"]
