"""Errors repositories raise for conditions a user can fix (unknown unit, duplicate code)."""


class StorageUserError(Exception):
    """Something the caller asked for is not possible; the message is for a person."""


class NotFound(StorageUserError):
    pass


class AlreadyExists(StorageUserError):
    pass
