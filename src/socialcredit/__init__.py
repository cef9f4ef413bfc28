"""socialcredit: an explainable, contestable and auditable social credit system.

Layers (one-way, enforced by import-linter): policy, identity and engine are pure; ingest and cli
sit on top. See ../shared/design.md and docs/.
"""

__version__ = "0.1.0"
