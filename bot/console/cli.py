"""Command line: `python -m bot.console add-user NAME --role ROLE [--unit UNIT] [--email ADDR]`,
`list-users`, `set-password NAME`, `set-email NAME ADDR` ("" clears it). Passwords are read from
standard input (first line) or prompted twice.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from collections.abc import Sequence

from bot.console.units import escalation_units
from bot.console.users import Role, UserError, UserStore
from bot.db import engine_for
from bot.settings import Settings


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot.console", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    add = commands.add_parser("add-user", help="create a console account")
    add.add_argument("name", help="username: a-z, 0-9, '.', '_' or '-'")
    add.add_argument("--role", required=True, choices=[r.value for r in Role])
    add.add_argument("--unit", help="escalation unit of a unit_pic (e.g. dana-transfer-umum)")
    add.add_argument("--email", help="where a unit_pic gets the monthly knowledge-base review")
    mail = commands.add_parser("set-email", help="set (or, with '', clear) an account's e-mail")
    mail.add_argument("name")
    mail.add_argument("email")
    password = commands.add_parser("set-password", help="replace an account's password")
    password.add_argument("name")
    listing = commands.add_parser("list-users", help="accounts with role and unit")
    listing.add_argument("--json", action="store_true", help="print a JSON array")
    return parser


def read_password() -> str:
    """The first line of standard input when it is not a terminal, else a prompt typed twice."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Repeat password: ") != first:
        raise UserError("the passwords differ")
    return first


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; returns the exit status."""
    args = _parser().parse_args(argv)
    settings = Settings.from_env()
    users = UserStore(engine_for(settings.db_url))
    try:
        if args.command == "list-users":
            accounts = users.list()
            if args.json:
                print(json.dumps([u.to_dict() | {"active": u.active} for u in accounts]))
            for user in [] if args.json else accounts:
                state = "" if user.active else "  (disabled)"
                email = f"  <{user.email}>" if user.email else ""
                print(f"{user.username:24} {user.role.value:11} {user.unit or '-'}{email}{state}")
            return 0
        if args.command == "set-email":
            user = users.set_email(args.name, args.email)
            print(f"e-mail of {user.username}: {user.email or '(none)'}")
            return 0
        password = read_password()
        if args.command == "set-password":
            users.set_password(args.name, password)
            print(f"password of {args.name} changed")
            return 0
        units = [unit.slug for unit in escalation_units(settings.kb_dir)]
        user = users.add(args.name, password, args.role, args.unit, units=units, email=args.email)
    except UserError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    unit = f" ({user.unit})" if user.unit else ""
    print(f"created {user.role.value} {user.username}{unit}")
    return 0
