"""Entry point of `python -m bot.kb`."""

from bot.kb.cli import main

raise SystemExit(main())
