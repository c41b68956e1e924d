"""Published flow versions for the running product, and wording edits for admins."""
