"""Reads: point-of-service checks, a subject's own file, public disclosure and statistics.
Reads of personal data are audited."""
