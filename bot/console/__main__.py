"""`python -m bot.console add-user NAME --role agent|supervisor|unit_pic [--unit UNIT]`."""

from bot.console.cli import main

raise SystemExit(main())
