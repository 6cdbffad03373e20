"""Arvio: evaluating the shared strategic goals of a wellbeing services county and its municipalities."""
