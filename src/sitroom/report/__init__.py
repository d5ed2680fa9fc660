"""Outputs for people: the situation summary and situation reports."""
