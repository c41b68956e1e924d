"""Question flows: the flow file format, the pure flow engine and SIPAS scoring.

This room imports nothing from the other rooms (bot, storage, scheduler) and does no I/O
apart from reading flow files it is explicitly asked to load; the engine itself is a pure
function so it can be tested exhaustively without any channel or database.
"""
