"""The report's figures: numbers computed from the database, one month at a time.

A module belongs here when it reads tables (SQL aggregates over `tickets`, `conversation_labels`,
`faq_misses`, `letter_*`, the knowledge base's review dates) and returns frozen dataclasses of
counts, shares and listings; `summary.build` gathers them into one `Summary`. Figures decide no
wording and no order of presentation, and import neither `bot.report.pages` nor
`bot.report.render`: only `period`, `formatting`, `vocabulary` and `bot.*` below the report.
"""
