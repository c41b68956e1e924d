"""Dossiers and their survey links: field rules, links and QR codes, bulk import."""
