"""Time-driven work: reminders, link expiry and the weekly digests' delivery, read from the
database.

The scheduler never talks to a platform directly: it hands outbound messages to a sender
(the channel registry, injected by bot.app), and it reads time from an injected clock. What a
digest says comes from the ``reports`` room; the scheduler only decides when and to whom.
"""
