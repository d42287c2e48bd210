#!/usr/bin/env bash
# `make run-scaled`: nginx on 127.0.0.1:${DJPK_SCALED_PORT:-8080} in front of a Rasa server and an
# action server on each of ${DJPK_SCALED_HOSTS:-2} test hosts (network namespaces, scripts/scaled/
# hosts.sh), sharing PostgreSQL (trackers, tickets, inbox, uploads) and Redis (conversation lock),
# all under one supervisord (var/scaled/supervisord.conf, logs in var/scaled/logs/). Ctrl-C stops it.
set -euo pipefail
cd "$(dirname "$0")/../.."
mkdir -p var
if [ -f .env ]; then set -a; . ./.env; set +a; fi
set -a; . ./scripts/env_defaults.sh; set +a
VENV=.venv/bin
pg_isready -q -h 127.0.0.1 -p 5432 || { echo "PostgreSQL does not answer on 127.0.0.1:5432" >&2; exit 1; }
redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null || { echo "Redis does not answer on 127.0.0.1:6379" >&2; exit 1; }
db="${DJPK_SCALED_DB:-djpk_scaled}"
[[ "$db" =~ ^[a-z_][a-z0-9_]*$ ]] || { echo "DJPK_SCALED_DB must be a plain name" >&2; exit 1; }
if [ -z "$(psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'")" ]; then
  psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE $db"
fi
# The secrets both hosts share, generated once into var/ when the environment has none.
export DJPK_ACTION_TOKEN="${DJPK_ACTION_TOKEN:-$("$VENV/python" -c 'from bot.secrets import action_token; print(action_token())')}"
export DJPK_REST_TOKEN="${DJPK_REST_TOKEN:-$("$VENV/python" -c 'from bot.secrets import rest_token; print(rest_token())')}"
# Web chat and console sessions are signed with one secret, so any host resumes any session.
export DJPK_CONSOLE_SECRET="${DJPK_CONSOLE_SECRET:-$("$VENV/python" -c 'from bot.secrets import session_secret; from bot.settings import Settings; s = Settings.from_env(); print(session_secret("", s.var_dir).decode())')}"
# Schema once, before the hosts start (each would also migrate, one at a time: bot.db.upgrade).
"$VENV/python" -c 'import sys; from bot.db import engine_for; engine_for(sys.argv[1])' \
  "postgresql+psycopg2://postgres@127.0.0.1:5432/$db"
# A stack of this checkout still running (a run that was not stopped) would hold the hosts' ports.
if supervisorctl -c var/scaled/supervisord.conf pid >/dev/null 2>&1; then
  echo "stopping the scaled stack still running from var/scaled/" >&2
  supervisorctl -c var/scaled/supervisord.conf shutdown >/dev/null || true
  sleep 3
fi
./scripts/scaled/hosts.sh up
./scripts/scaled/hosts.sh clean
"$VENV/python" scripts/scaled/render.py >/dev/null
echo "nginx on http://127.0.0.1:${DJPK_SCALED_PORT:-8080}; logs in var/scaled/logs/;" \
  "status: supervisorctl -c var/scaled/supervisord.conf status" >&2
exec supervisord -c var/scaled/supervisord.conf
