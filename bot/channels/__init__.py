"""Public channels: WhatsApp Cloud API (whatsapp, graph_api) and the payload guard (payloads)."""
