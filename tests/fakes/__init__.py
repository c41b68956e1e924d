"""Test doubles for external services (fake Telegram Bot API server, ...)."""
