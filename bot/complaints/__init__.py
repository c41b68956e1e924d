"""Reports / petitions (phản ánh, kiến nghị) answered, not just collected: the intake when a
response is completed, the alert to the unit's chairs, the answer back to the citizen.
"""
