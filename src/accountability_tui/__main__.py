import sys

from accountability_tui.cli import main

sys.exit(main())
