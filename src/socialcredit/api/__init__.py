"""The HTTP API (FastAPI), by audience: agency, service, subject, reviewer, public, admin.

The application is built by :func:`socialcredit.api.app.create_app`. This package imports
nothing itself, so that the response shapes (:mod:`socialcredit.api.views`), which the command
line prints too, come without the web framework.
"""
