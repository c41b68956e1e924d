"""Zalo building blocks shared by the two Zalo adapters (Bot API and Official Account):
the HTTP clients, webhook signatures, OA tokens, OA customer-service sends and ZNS notices.

The adapters themselves (parsing events into the channel protocol) live beside these modules.
"""
