#!/usr/bin/env bash
# Start the action server (:5055) and the Rasa server (:5005); Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p var
if [ -f .env ]; then set -a; . ./.env; set +a; fi
set -a; . ./scripts/env_defaults.sh; set +a
VENV=.venv/bin
pids=()
stop() { trap - INT TERM EXIT; kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap stop INT TERM EXIT
"$VENV/rasa" run actions --actions actions --port "${DJPK_ACTION_PORT:-5055}" &
pids+=($!)
"$VENV/rasa" run --model models/djpk.tar.gz --port "${DJPK_PORT:-5005}" \
  --endpoints "${DJPK_ENDPOINTS:-endpoints.yml}" --credentials credentials.yml "$@" &
pids+=($!)
wait -n "${pids[@]}"
