"""Channel adapters: platform event -> engine Inbound; Outbound -> platform call.

Each adapter stays thin; everything that is not platform-specific lives once in
bot.conversation.
"""
