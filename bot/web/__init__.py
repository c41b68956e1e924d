"""The aiohttp web server: web chat, staff pages, HTTP API and webhooks, in one process."""
