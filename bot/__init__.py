"""DJPK assistant: the application core (no rasa imports outside channels/ and console/)."""
