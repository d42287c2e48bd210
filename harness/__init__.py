"""The test and benchmark harness that tests/ and bench/ share; they import it, never each other.

What lives here:
- `stack`: starts and stops a Rasa server and its action server (`Stack`, `ROOT`, `BIN`,
  `free_port`, `wait_http`, `peak_rss_mb`, the development channel values);
- `fakes/`: local fakes of the external services (the WhatsApp Graph API, Deskpro's REST API),
  Meta-shaped webhook deliveries and their signatures, one input channel served on a real port,
  and the `send_webhook` demo sender;
- `letter_samples` (DJPK-style letters as PDFs, photos and QR codes) and `bad_uploads` (hostile
  files), written at run time so nothing binary is committed;
- `chat_client`: a small socket.io client speaking the web chat widget's events.

Only tests/, bench/ and the Makefile's demo targets use it: neither product code (bot/,
components/) nor actions/ may import it.
"""
