"""One frozen Settings object, read from the environment once.

Secrets left empty here (session secret, REST and action tokens) are generated once into var/ by
`bot.secrets`, the one place that loads them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


_OFF = ("0", "off", "false", "no")


def _split(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(",") if part.strip())


ZONES = ("WIB", "WITA", "WIT")


def _zone(value: str) -> str:
    """An Indonesian zone abbreviation ("" when unset); anything else is a configuration error."""
    zone = value.strip().upper()
    if zone and zone not in ZONES:
        raise ValueError(f"DJPK_CONSOLE_ZONE must be one of {', '.join(ZONES)}, not {value!r}")
    return zone


@dataclass(frozen=True)
class Settings:
    """Runtime configuration; every field has a documented default in .env.example."""

    db_url: str = f"sqlite:///{ROOT / 'var' / 'djpk.db'}"
    kb_dir: Path = ROOT / "knowledge_base"
    var_dir: Path = ROOT / "var"
    whatsapp_verify_token: str = ""
    whatsapp_app_secret: str = ""
    whatsapp_access_token: str = ""
    whatsapp_phone_number_id: str = ""
    whatsapp_graph_url: str = "https://graph.facebook.com/v19.0"
    whatsapp_fallback_template: str = ""
    whatsapp_workers: int = 2
    whatsapp_reopen_template: str = ""  # approved template sent outside the 24 h window
    whatsapp_reopen_template_lang: str = "id"
    rest_callback_url: str = ""  # where agent replies to REST users are POSTed
    socketio_redis_url: str = ""  # several hosts: web chat emits and presence through Redis
    allowed_origins: tuple[str, ...] = field(default=("http://localhost:5005",))
    console_secret: str = ""
    rest_token: str = ""  # Bearer token of the REST channel; unset: generated into var/rest.token
    deskpro_url: str = ""
    deskpro_api_key: str = ""
    letter_examples: bool = False
    max_message_chars: int = 2000
    faq_encoder: bool = True  # FAQ search by meaning too (off: lexical only, for comparisons)
    upload_retention_days: int = 90  # uploads and their letter text are deleted after this
    upload_dir: Path | None = None  # DJPK_UPLOAD_DIR: a folder all hosts share; None: var/uploads
    prune_interval_s: float = 3600.0  # retention/prune jobs inside the Rasa server; 0: off (cron)
    vector_cache: Path = ROOT / "var" / "kb-embeddings.sqlite"  # FAQ entry vectors by text hash
    action_host: str = "127.0.0.1"  # where `python -m actions` listens; not loopback: token needed
    action_port: int = 5055
    action_token: str = ""  # Bearer token the action server requires (Rasa: endpoints.yml headers)
    upload_max_mb: int = 10  # letter uploads, both channels
    upload_max_pages: int = 20
    upload_max_images: int = 30  # images inside one PDF
    upload_max_pixels: int = 50_000_000  # per image (a 12 MP phone photo is far below)
    upload_timeout_s: float = 40.0  # reading one document (pypdf, OCR, QR), then the worker dies
    uploads_per_hour: int = 10  # per sender
    letter_workers: int = field(default_factory=lambda: min(2, os.cpu_count() or 1))
    letter_queue: int = 8  # documents waiting for a free worker; more are refused at once
    console_zone: str = "WIB"  # the zone the console shows times in (WIB, WITA or WIT)
    wait_ack_minutes: float = 5.0  # while waiting for an agent, at most one acknowledgement
    minutes_per_ticket: float = 10.0  # the expected answer: now + queue position x this
    release_interval_s: float = 60.0  # untaken tickets released at closing time; 0: off

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        """Build settings from environment variables (or a given mapping, in tests)."""
        env = dict(os.environ if env is None else env)
        base = cls()
        var_dir = Path(env.get("DJPK_VAR_DIR", str(base.var_dir)))
        return cls(
            db_url=env.get("DJPK_DB_URL") or f"sqlite:///{var_dir / 'djpk.db'}",
            kb_dir=Path(env.get("DJPK_KB_DIR", str(base.kb_dir))),
            var_dir=var_dir,
            whatsapp_verify_token=env.get("WHATSAPP_VERIFY_TOKEN", ""),
            whatsapp_app_secret=env.get("WHATSAPP_APP_SECRET", ""),
            whatsapp_access_token=env.get("WHATSAPP_ACCESS_TOKEN", ""),
            whatsapp_phone_number_id=env.get("WHATSAPP_PHONE_NUMBER_ID", ""),
            whatsapp_graph_url=env.get("WHATSAPP_GRAPH_URL", base.whatsapp_graph_url),
            whatsapp_fallback_template=env.get("WHATSAPP_FALLBACK_TEMPLATE", ""),
            whatsapp_workers=max(1, int(env.get("DJPK_WHATSAPP_WORKERS") or base.whatsapp_workers)),
            whatsapp_reopen_template=env.get("WHATSAPP_REOPEN_TEMPLATE", "").strip(),
            whatsapp_reopen_template_lang=env.get("WHATSAPP_REOPEN_TEMPLATE_LANG", "").strip()
            or base.whatsapp_reopen_template_lang,
            rest_callback_url=env.get("DJPK_REST_CALLBACK_URL", "").strip(),
            socketio_redis_url=env.get("DJPK_SOCKETIO_REDIS_URL", "").strip(),
            allowed_origins=_split(env.get("DJPK_ALLOWED_ORIGINS", "")) or base.allowed_origins,
            console_secret=env.get("DJPK_CONSOLE_SECRET", ""),
            rest_token=env.get("DJPK_REST_TOKEN", "").strip(),
            deskpro_url=env.get("DESKPRO_URL", ""),
            deskpro_api_key=env.get("DESKPRO_API_KEY", ""),
            letter_examples=env.get("DJPK_LETTER_EXAMPLES", "").lower() in ("1", "true", "yes"),
            vector_cache=Path(
                env.get("DJPK_VECTOR_CACHE") or str(var_dir / "kb-embeddings.sqlite")
            ),
            faq_encoder=env.get("DJPK_FAQ_ENCODER", "on").lower() not in _OFF,
            upload_dir=Path(env["DJPK_UPLOAD_DIR"]) if env.get("DJPK_UPLOAD_DIR") else None,
            upload_retention_days=max(
                1, int(env.get("DJPK_UPLOAD_RETENTION_DAYS") or base.upload_retention_days)
            ),
            prune_interval_s=max(
                0.0, float(env.get("DJPK_PRUNE_INTERVAL_S") or base.prune_interval_s)
            ),
            action_host=env.get("DJPK_ACTION_HOST", "").strip() or base.action_host,
            action_port=int(env.get("DJPK_ACTION_PORT") or base.action_port),
            action_token=env.get("DJPK_ACTION_TOKEN", "").strip(),
            max_message_chars=max(
                1, int(env.get("DJPK_MAX_MESSAGE_CHARS") or base.max_message_chars)
            ),
            upload_max_mb=max(1, int(env.get("DJPK_UPLOAD_MAX_MB") or base.upload_max_mb)),
            upload_max_pages=max(1, int(env.get("DJPK_UPLOAD_MAX_PAGES") or base.upload_max_pages)),
            upload_max_images=max(
                1, int(env.get("DJPK_UPLOAD_MAX_IMAGES") or base.upload_max_images)
            ),
            upload_max_pixels=max(
                1, int(env.get("DJPK_UPLOAD_MAX_PIXELS") or base.upload_max_pixels)
            ),
            upload_timeout_s=max(
                0.1, float(env.get("DJPK_UPLOAD_TIMEOUT_S") or base.upload_timeout_s)
            ),
            uploads_per_hour=max(1, int(env.get("DJPK_UPLOADS_PER_HOUR") or base.uploads_per_hour)),
            letter_workers=max(1, int(env.get("DJPK_LETTER_WORKERS") or base.letter_workers)),
            letter_queue=max(0, int(env.get("DJPK_LETTER_QUEUE") or base.letter_queue)),
            console_zone=_zone(env.get("DJPK_CONSOLE_ZONE", "")) or base.console_zone,
            wait_ack_minutes=max(
                0.0, float(env.get("DJPK_WAIT_ACK_MINUTES") or base.wait_ack_minutes)
            ),
            minutes_per_ticket=max(
                0.0, float(env.get("DJPK_MINUTES_PER_TICKET") or base.minutes_per_ticket)
            ),
            release_interval_s=max(
                0.0, float(env.get("DJPK_RELEASE_INTERVAL_S") or base.release_interval_s)
            ),
        )
