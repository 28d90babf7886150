"""Movilim: one system for a public-sector digital-leadership program."""
