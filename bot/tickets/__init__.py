"""Tickets: hand-off of a conversation to a human agent, and the conversation state around it.

Entry points: `bot.tickets.service.TicketService` (bot and console), `bot.tickets.store`
(`TicketStore` protocol, `SqlTicketStore`), `python -m bot.tickets list --json`.
"""
