"""The knowledge loop: what the FAQ missed and what people found unhelpful, routed to the unit
that owns it and grouped; entries due for review; validated, attributed, reversible edits of a
unit's FAQ file; the monthly review summary (console and e-mail). Rasa-free."""
