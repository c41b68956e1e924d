"""Desks: service counters with a standing QR code that opens a quick anonymous rating."""
