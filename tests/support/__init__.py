"""Helpers shared by the test files: benches, fake users, scenario readers, staff logins."""
