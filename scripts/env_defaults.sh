# Defaults `make run` applies to the variables credentials.yml names, so that Rasa can expand them.
# No secret has a value here: a real deployment sets them in .env. Without WHATSAPP_APP_SECRET the
# WhatsApp webhook refuses every POST with 403 (and says so at start-up); `make demo-whatsapp` and
# the tests (harness/stack.py) bring their own development values.
: "${WHATSAPP_VERIFY_TOKEN:=}"
: "${WHATSAPP_APP_SECRET:=}"
: "${WHATSAPP_ACCESS_TOKEN:=}"
: "${WHATSAPP_PHONE_NUMBER_ID:=}"
: "${WHATSAPP_GRAPH_URL:=https://graph.facebook.com/v19.0}"
