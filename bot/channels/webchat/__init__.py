"""Web live chat: a hardened socket.io channel, link sanitising, session ids, page and uploads."""
