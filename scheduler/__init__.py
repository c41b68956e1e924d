"""Time-driven work: reminders, link expiry and weekly digests, read from the database.

The scheduler never talks to a platform directly: it hands outbound messages to a sender
(the channel registry, injected by bot.app), and it reads time from an injected clock.
"""
