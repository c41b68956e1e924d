"""The running product: channel adapters, conversation glue, web pages and API, and the CLI."""
