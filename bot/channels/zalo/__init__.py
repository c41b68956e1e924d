"""Zalo: the Bot API and the Official Account adapters and what they share."""
