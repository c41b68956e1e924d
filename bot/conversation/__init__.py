"""The conversation glue: everything a chat does that is not a platform's idiom, once."""
