"""Send one signed, Meta-shaped webhook delivery to a running Rasa server (demos, manual checks).

    python -m harness.fakes.send_webhook "nomor wa djpk berapa"
    python -m harness.fakes.send_webhook --document surat.pdf --graph http://127.0.0.1:8899

A document or photo is first put on the fake Graph API (POST /_control/media), so the channel
can download it from there. The secret defaults to $WHATSAPP_APP_SECRET.
"""

from __future__ import annotations

import argparse
import base64
import mimetypes
import os
import uuid
from pathlib import Path

import requests

from harness.fakes import webhooks as wh


def main() -> int:
    """Build, sign and POST the delivery; print the HTTP status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("text", nargs="?", default="", help="text message to send")
    parser.add_argument("--url", default="http://localhost:5005/webhooks/whatsapp/webhook")
    parser.add_argument("--secret", default=os.environ.get("WHATSAPP_APP_SECRET", ""))
    parser.add_argument("--sender", default=wh.USER, help="the user's wa_id")
    parser.add_argument("--name", default="Budi Santoso", help="the user's profile name")
    parser.add_argument("--document", type=Path, help="PDF (or other file) to send as document")
    parser.add_argument("--image", type=Path, help="JPEG/PNG to send as a photo")
    parser.add_argument("--graph", default="http://127.0.0.1:8899", help="fake Graph API root")
    args = parser.parse_args()
    file = args.document or args.image
    if file is not None:
        media_id = uuid.uuid4().hex[:16]
        mime = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        data = base64.b64encode(file.read_bytes()).decode("ascii")
        control = {"id": media_id, "mime_type": mime, "data_base64": data}
        requests.post(f"{args.graph}/_control/media", json=control, timeout=10).raise_for_status()
        if args.document:
            message = wh.document(media_id, file.name, mime, args.text, sender=args.sender)
        else:
            message = wh.image(media_id, mime, sender=args.sender)
    else:
        message = wh.text(args.text or "halo", sender=args.sender)
    raw, headers = wh.encode(
        wh.delivery([message], name=args.name, sender=args.sender), args.secret
    )
    response = requests.post(args.url, data=raw, headers=headers, timeout=10)
    print(response.status_code, message["id"])
    return 0 if response.status_code == 200 else 1


if __name__ == "__main__":
    raise SystemExit(main())
