"""Write the scaled stack's configuration into var/scaled/: nginx.conf and supervisord.conf.

`make run-scaled` runs this after scripts/scaled/hosts.sh made the test hosts. Settings:
DJPK_SCALED_HOSTS (2), DJPK_SCALED_PORT (8080: nginx on 127.0.0.1), DJPK_SCALED_NET (10.77.0: the
hosts are .11, .12, ... and the machine itself .1), DJPK_SCALED_DB (djpk_scaled). Every process
runs under one supervisord, restarted when it dies; logs go to var/scaled/logs/.
"""

from __future__ import annotations

import os
import shlex
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "var" / "scaled"
RASA_PORT, ACTION_PORT = 5005, 5055


def setting(name: str, default: str) -> str:
    return os.environ.get(name, "").strip() or default


def hosts() -> list[tuple[str, str]]:
    """(netns name, address) of each host."""
    count, net = int(setting("DJPK_SCALED_HOSTS", "2")), setting("DJPK_SCALED_NET", "10.77.0")
    return [(f"djpk-h{n}", f"{net}.{10 + n}") for n in range(1, count + 1)]


def nginx_conf() -> str:
    port = setting("DJPK_SCALED_PORT", "8080")
    servers = "\n".join(
        f"        server {address}:{RASA_PORT} max_fails=2 fail_timeout=5s;"
        for _, address in hosts()
    )
    logs = OUT / "logs"
    return f"""# written by scripts/scaled/render.py
worker_processes 1;
pid {OUT / "nginx.pid"};
error_log {logs / "nginx-error.log"} warn;
events {{ worker_connections 1024; }}
http {{
    log_format upstream '$time_iso8601 $status $request_method $uri upstream=$upstream_addr '
                        '$upstream_status $request_time';
    access_log {logs / "nginx-access.log"} upstream;
    client_body_temp_path {OUT / "nginx-body"};
    proxy_temp_path {OUT / "nginx-proxy"};
    fastcgi_temp_path {OUT / "nginx-fastcgi"};
    uwsgi_temp_path {OUT / "nginx-uwsgi"};
    scgi_temp_path {OUT / "nginx-scgi"};
    client_max_body_size 20m;
    # "Connection: upgrade" only for a websocket upgrade; long-polling requests stay plain
    map $http_upgrade $connection_upgrade {{
        default upgrade;
        "" "";
    }}
    # any Rasa server answers any request: trackers, tickets and the inbox are in PostgreSQL,
    # the conversation lock in Redis
    upstream rasa {{
{servers}
    }}
    # socket.io long-polling must reach the server that holds the session: one client address,
    # one server (the websocket upgrade then stays on it)
    upstream rasa_socket {{
        hash $remote_addr$http_x_djpk_client consistent;
{servers}
    }}
    server {{
        listen 127.0.0.1:{port};
        proxy_http_version 1.1;
        # the port too: the web chat and the console compare the page's Origin with the Host
        proxy_set_header Host $http_host;
        proxy_set_header X-Forwarded-For $remote_addr;
        proxy_read_timeout 120s;
        # a server that refuses or drops the connection before answering: try the next one
        proxy_next_upstream error timeout http_502 http_503;
        proxy_next_upstream_tries 2;
        location /socket.io/ {{
            proxy_pass http://rasa_socket;
            # a location with its own proxy_set_header inherits none from the server block
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $remote_addr;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
        }}
        location / {{
            proxy_pass http://rasa;
        }}
    }}
}}
"""


def program(name: str, command: list[str], env: dict[str, str], netns: str | None) -> str:
    if netns:
        command = ["ip", "netns", "exec", netns, *command]
    environment = ",".join(f'{key}="{value}"' for key, value in sorted(env.items()))
    logs = OUT / "logs"
    return f"""
[program:{name}]
command={shlex.join(command)}
directory={ROOT}
environment={environment}
autorestart=true
startsecs=5
startretries=100
stopasgroup=true
killasgroup=true
redirect_stderr=true
stdout_logfile={logs / f"{name}.log"}
stdout_logfile_maxbytes=20MB
"""


def supervisord_conf() -> str:
    net = setting("DJPK_SCALED_NET", "10.77.0")
    gateway = f"{net}.1"
    database = setting("DJPK_SCALED_DB", "djpk_scaled")
    shared = {
        "DJPK_DB_URL": f"postgresql+psycopg2://postgres@{gateway}:5432/{database}",
        "DJPK_PG_HOST": gateway,
        "DJPK_PG_PORT": "5432",
        "DJPK_PG_DB": database,
        "DJPK_PG_USER": "postgres",
        "DJPK_PG_PASSWORD": "",
        "DJPK_REDIS_HOST": gateway,
        "DJPK_REDIS_PORT": "6379",
        "DJPK_SOCKETIO_REDIS_URL": f"redis://{gateway}:6379/2",
        "DJPK_ACTION_URL": f"http://127.0.0.1:{ACTION_PORT}/webhook",
        "RASA_TELEMETRY_ENABLED": "false",
    }
    bin_dir = ROOT / ".venv" / "bin"
    text = f"""; written by scripts/scaled/render.py
[supervisord]
nodaemon=true
logfile={OUT / "logs" / "supervisord.log"}
pidfile={OUT / "supervisord.pid"}
childlogdir={OUT / "logs"}

[unix_http_server]
file={OUT / "supervisor.sock"}
chmod=0700

[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

[supervisorctl]
serverurl=unix://{OUT / "supervisor.sock"}
"""
    # PostgreSQL and Redis listen on 127.0.0.1 of this machine: forwarded to the hosts' gateway
    for name, port in (("postgres-forward", 5432), ("redis-forward", 6379)):
        command = [
            "socat",
            f"TCP-LISTEN:{port},bind={gateway},fork,reuseaddr",
            f"TCP:127.0.0.1:{port}",
        ]
        text += program(name, command, {}, None)
    text += program(
        "nginx", ["nginx", "-c", str(OUT / "nginx.conf"), "-g", "daemon off;"], {}, None
    )
    for netns, address in hosts():
        # each host its own var/ (as on separate machines); uploads and the FAQ vector cache in
        # folders all hosts share (a network file system on real machines)
        env = {
            **shared,
            "DJPK_HOST_NAME": netns,
            "DJPK_VAR_DIR": str(OUT / netns),
            "DJPK_UPLOAD_DIR": str(OUT / "shared" / "uploads"),
            "DJPK_VECTOR_CACHE": str(OUT / "shared" / "kb-embeddings.sqlite"),
        }
        actions = [str(bin_dir / "python"), "-m", "actions"]
        text += program(f"{netns}-actions", actions, env, netns)
        rasa = [str(bin_dir / "rasa"), "run", "--model", "models/djpk.tar.gz"]
        rasa += ["--interface", address, "--port", str(RASA_PORT)]
        rasa += ["--endpoints", "endpoints.scale.yml", "--credentials", "credentials.yml"]
        text += program(f"{netns}-rasa", rasa, env, netns)
    return text


def main() -> None:
    (OUT / "logs").mkdir(parents=True, exist_ok=True)
    (OUT / "shared" / "uploads").mkdir(parents=True, exist_ok=True)
    for netns, _ in hosts():
        (OUT / netns).mkdir(exist_ok=True)
    (OUT / "nginx.conf").write_text(nginx_conf())
    (OUT / "supervisord.conf").write_text(supervisord_conf())
    print(OUT / "supervisord.conf")


if __name__ == "__main__":
    main()
