"""`python -m bot.letters`: verify, add, validate."""

import sys

from bot.letters.cli import main

sys.exit(main())
