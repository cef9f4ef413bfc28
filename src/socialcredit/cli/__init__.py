"""The ``socialcredit`` command line (Typer + Rich)."""
