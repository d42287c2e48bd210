"""Custom actions: thin rasa_sdk wrappers that read slots, call bot/, utter and return events."""
