"""One confidence from the lexical and the semantic signal (fused ranking, logistic calibration).

The constants are fitted by `bench/calibrate.py` on the development sets (in-domain questions with
their right entry, out-of-domain questions with none); it prints them and the precision/recall
table that chose the thresholds. Refit and paste them when the encoder or the lexical score changes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Calibration:
    """Fusion weight, cosine normalisation, logistic weights and the two decision thresholds."""

    lexical_weight: float  # share of the lexical score in the fused ranking score
    cosine_floor: float  # e5 cosines are compressed: this maps to 0 ...
    cosine_ceiling: float  # ... and this to 1
    w_lexical: float  # confidence: P(this entry, ahead of the others, is the right answer)
    w_semantic: float
    w_margin: float
    bias: float
    r_lexical: float  # relevance: P(the question is one the knowledge base answers at all)
    r_semantic: float
    r_bias: float
    answer: float  # confidence at which the best entry is answered directly
    relevant: float  # relevance at which the best entries are offered as choices

    def semantic(self, cosine: float) -> float:
        """A cosine mapped onto 0..1."""
        span = self.cosine_ceiling - self.cosine_floor
        return min(1.0, max(0.0, (cosine - self.cosine_floor) / span))

    def fused(self, lexical: float, cosine: float) -> float:
        """The ranking score."""
        weight = self.lexical_weight
        return weight * lexical + (1 - weight) * self.semantic(cosine)

    def confidence(self, lexical: float, cosine: float, margin: float) -> float:
        """Estimated probability that this entry answers the question (margin: fused lead)."""
        z = (
            self.w_lexical * lexical
            + self.w_semantic * self.semantic(cosine)
            + self.w_margin * margin
            + self.bias
        )
        return _sigmoid(z)

    def relevance(self, lexical: float, cosine: float) -> float:
        """Estimated probability that the knowledge base answers the question at all."""
        z = self.r_lexical * lexical + self.r_semantic * self.semantic(cosine) + self.r_bias
        return _sigmoid(z)


def _sigmoid(z: float) -> float:
    return 1 / (1 + math.exp(-z))


# Fitted by bench/calibrate.py (see its output in the README's FAQ design notes).
FITTED = Calibration(
    lexical_weight=0.4,
    cosine_floor=0.80,
    cosine_ceiling=0.95,
    w_lexical=4.35,
    w_semantic=2.32,
    w_margin=15.57,
    bias=-4.74,
    r_lexical=8.36,
    r_semantic=6.1,
    r_bias=-5.49,
    answer=0.5,  # answers: precision 0.974 on the development sets (bench/calibrate.py)
    relevant=0.5,  # offers: 207/211 in-domain, 3/51 out-of-domain questions
)

# Lexical search alone (the encoder could not be loaded): the score is the confidence.
LEXICAL_ONLY_ANSWER = 0.45
LEXICAL_ONLY_RELEVANT = 0.3
