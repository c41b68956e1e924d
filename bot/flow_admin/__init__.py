"""Published flow versions for the running product, and the flow editor's parts for admins."""
