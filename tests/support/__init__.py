"""Helpers shared by the test files, one module per kind (import them; conftest.py exposes
the fixtures among them to every test):

- ``environment``: the start instant, free ports, settings, freshly migrated databases;
- ``servers``: the product's real web server on 127.0.0.1;
- ``surveys``: survey links as a clerk makes them;
- ``scheduler``: a recording channel, respondents answering through the glue, bound staff;
- ``staff``: staff accounts and a logged-in HTTP client with the CSRF token;
- ``browser``: headless Chromium (the ``page`` fixture) and the accessibility check;
- ``telegram_bench``: the real Telegram application against the fake Bot API
  (the ``tg``/``tg_api`` fixtures);
- ``scenario_files``: reading tests/scenarios/**/*.toml.
"""
