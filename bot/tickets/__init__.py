"""Tickets: hand-off of a conversation to a human agent, and the conversation state around it.

Entry points: `bot.tickets.service.TicketService`, the one door for the bot and the console;
`bot.tickets.store` (`TicketStore` and `ConversationStore` protocols, their SQL implementations);
`bot.tickets.taxonomy` (vocabularies and the ticket context keys);
`python -m bot.tickets list --json`.
"""
