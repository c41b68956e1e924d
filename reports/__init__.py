"""Reports: the figures of a unit and a week, their wording and their chart.

One room that the scheduler (Monday digests), the staff web, the API and the CLI all call, so
every surface shows the same numbers. It reads storage and sends nothing: delivering a digest
is the caller's job, and it knows no channel. Later exports and the public page belong here.
"""
