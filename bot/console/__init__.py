"""The agent console: a Rasa input channel serving the agents' web page and its JSON API."""
