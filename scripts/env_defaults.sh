# Development defaults for variables the channels need; a real deployment sets them in .env.
: "${WHATSAPP_VERIFY_TOKEN:=dev-verify-token}"
: "${WHATSAPP_APP_SECRET:=dev-app-secret}"
: "${WHATSAPP_ACCESS_TOKEN:=dev-access-token}"
: "${WHATSAPP_PHONE_NUMBER_ID:=000000000000000}"
: "${WHATSAPP_GRAPH_URL:=https://graph.facebook.com/v19.0}"
