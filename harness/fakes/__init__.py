"""Local fakes of external services (the WhatsApp Graph API) for tests, demos and benchmarks."""
