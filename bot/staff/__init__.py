"""Staff accounts, roles, passwords and API keys: who may do what, decided in one room."""
