#!/usr/bin/env bash
# Start the action server (127.0.0.1:5055) and the Rasa server (:5005); Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p var
if [ -f .env ]; then set -a; . ./.env; set +a; fi
set -a; . ./scripts/env_defaults.sh; set +a
VENV=.venv/bin
PORT="${DJPK_PORT:-5005}"
# The REST channel's token (DJPK_REST_TOKEN, or generated once into var/rest.token) exists before
# the ready curl line names it.
if [ -n "${DJPK_REST_TOKEN:-}" ]; then
  bearer='$DJPK_REST_TOKEN'
else
  token_file=$("$VENV/python" -c 'from pathlib import Path
from bot.secrets import rest_token, rest_token_file
rest_token()
path, here = rest_token_file().resolve(), Path.cwd()
print(path.relative_to(here) if path.is_relative_to(here) else path)')
  bearer="\$(cat $token_file)"
fi
# The action server's token (DJPK_ACTION_TOKEN, or generated once into var/action.token): the
# action server requires it and Rasa sends it (endpoints.yml, action_endpoint.headers).
if [ -z "${DJPK_ACTION_TOKEN:-}" ]; then
  DJPK_ACTION_TOKEN=$("$VENV/python" -c 'from bot.secrets import action_token; print(action_token())')
fi
export DJPK_ACTION_TOKEN
endpoints="${DJPK_ENDPOINTS:-endpoints.yml}"
action_url=$(sed -n '/^action_endpoint:/,/^[^ ]/s/^ *url: *//p' "$endpoints" | tr -d '"')
case "$action_url" in
  *'${'* | *":${DJPK_ACTION_PORT:-5055}/"*) ;;
  *) echo "DJPK_ACTION_PORT=${DJPK_ACTION_PORT:-5055}, but $endpoints calls $action_url:" \
    "change its action_endpoint url too (every custom action fails otherwise)." >&2 ;;
esac
if [ -z "${WHATSAPP_APP_SECRET:-}" ]; then
  echo "WHATSAPP_APP_SECRET is not set: the WhatsApp webhook refuses every POST with 403." >&2
fi
pids=()
announce=""
stop() {
  trap - INT TERM EXIT
  [ -z "$announce" ] || kill "$announce" 2>/dev/null || true
  kill "${pids[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT
"$VENV/python" -m actions &  # DJPK_ACTION_HOST (127.0.0.1), DJPK_ACTION_PORT (5055)
pids+=($!)
"$VENV/rasa" run --model models/djpk.tar.gz --port "$PORT" \
  --endpoints "$endpoints" --credentials credentials.yml "$@" &
pids+=($!)
(
  until (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; do sleep 1; done
  echo
  echo "Ready. Try the REST channel:"
  echo "  curl -s localhost:$PORT/webhooks/rest/webhook -H \"Authorization: Bearer $bearer\"" \
    "-d '{\"sender\":\"u1\",\"message\":\"min nomor wa djpk brp ya\"}'"
  echo
) &
announce=$!
wait -n "${pids[@]}"
