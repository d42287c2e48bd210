"""Custom Rasa NLU graph components (the only Rasa-side NLU code; logic lives in bot/)."""
