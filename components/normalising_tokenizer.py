"""A whitespace tokenizer whose tokens carry normalised informal Indonesian."""

from __future__ import annotations

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.text import normalise


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class NormalisingTokenizer(WhitespaceTokenizer):
    """Splits like WhitespaceTokenizer, then rewrites each token's text and lemma.

    Offsets stay those of the user's own text, so entities and the stored message are
    untouched: only what the featurizers see is normalised ("kpn" -> "kapan").
    """

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """Same options as WhitespaceTokenizer."""
        return WhitespaceTokenizer.get_default_config()

    def tokenize(self, message: Message, attribute: str) -> list[Token]:
        """Tokenize; normalise the text attribute only (not intents or action names)."""
        tokens = super().tokenize(message, attribute)
        if attribute != TEXT:
            return tokens
        for token in tokens:
            normalised = normalise(token.text) or token.text.lower()
            token.text = normalised
            token.lemma = normalised
        return tokens
