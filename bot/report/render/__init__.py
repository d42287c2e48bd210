"""The report's renderers: a page or the figures turned into HTML, Markdown or PNG charts.

A module belongs here when it decides how something looks in one format and nothing about what
is said or counted: `html_page` and `markdown_page` render a `pages.document.Document`, `charts`
draws the figures of a `Summary` as PNG. `bot.report.writer` adds `summary.json` and the CSV
tables (through `bot.csv_safe`). Renderers may import `bot.report.figures`, `bot.report.pages`,
`period` and `formatting`; neither figures nor pages import them.
"""
