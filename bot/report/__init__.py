"""The monthly information-service report (Laporan Layanan Informasi DJPK) from the bot's data.

Layers, imports pointing down only: `cli` -> `writer` -> `render` -> `pages` -> `figures`, with
`period`, `formatting` and `vocabulary` beneath all of them and `demo` (the demo-data generator)
beside `figures`, reached only from `cli`. See README.md, "Where the code lives".
"""
