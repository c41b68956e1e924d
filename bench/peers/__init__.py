"""The bots a Python developer would write instead of ours, for ``python -m bench``.

Each asks the same Mẫu 01 survey (texts read from flows/data/mau01.toml) with the same
buttons and the same Bot API calls per answer (answer the press, edit the answered question
to show the answer, send the next question), and keeps answers in its framework's usual
state store: neither stores an answer durably before replying.
"""
