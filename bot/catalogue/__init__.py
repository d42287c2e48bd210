"""The contact center's service catalogue beyond the FAQ: reservations, non-DJPK questions,
follow-up questions and acknowledgements."""
