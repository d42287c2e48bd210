"""Custom Rasa NLU graph components (the only Rasa-side NLU code; logic lives in bot/)."""

from components import action_outage, action_result_validation, pooled_endpoints

action_result_validation.install()
pooled_endpoints.install()
action_outage.install()
