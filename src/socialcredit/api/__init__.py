"""The HTTP API (FastAPI), by audience: agency, service, subject, reviewer, public, admin."""

from socialcredit.api.app import ApiSettings, create_app

__all__ = ["ApiSettings", "create_app"]
