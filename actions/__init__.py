"""Custom actions: thin rasa_sdk wrappers that read slots, call bot/, utter and return events."""

from bot import logmask

logmask.install()  # the action server's logs: phones masked, message text at INFO and below
