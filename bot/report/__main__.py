"""`python -m bot.report`: the monthly report, demo data and CSV import."""

import sys

from bot.report.cli import main

sys.exit(main())
