"""The faces of the app in the terminal: the Textual app, its screens and widgets. They read and change data only
through accountability_tui.services."""
