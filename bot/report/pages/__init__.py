"""The report's pages: what the report says about the figures, and in which order.

A module belongs here when it turns a `Summary` into the document model (`document`: sections of
paragraphs, bullets, tables, tiles and chart placeholders) and chooses titles, sentences and the
order of chapters (`outline`). Pages may import `bot.report.figures`, `period`, `formatting` and
`vocabulary`, never `bot.report.render`: they name a chart by its key and leave the drawing and
every file format to the renderers.
"""
