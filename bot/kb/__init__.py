"""FAQ knowledge base: entries in knowledge_base/faq/*.yml, validation, search, hot reload."""
