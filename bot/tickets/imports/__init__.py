"""Tickets of the channels the bot does not carry (telephone, e-mail, HAI Kemenkeu) from CSV.

`csv_layout` reads and checks the columns, `csv_rows` turns one row into an `ImportedTicket`
(pemda, zone and service hours derived), `importer` writes a valid file in one transaction and
keeps external id -> ticket in `report_imports` (`tables`, migration 0005). Run it as
`python -m bot.report import-csv FILE`; this package never imports `bot.report`.
"""
