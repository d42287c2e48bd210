"""`python -m bot.tickets`: see bot.tickets.cli."""

from bot.tickets.cli import main

raise SystemExit(main())
