"""The printable credit report: the subject's file as a PDF (WeasyPrint, which needs the Pango
libraries of the operating system; without them the report answers that it is unavailable)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from socialcredit.api.views import SubjectFileOut
from socialcredit.errors import SocialCreditError
from socialcredit.policy import PolicySet
from socialcredit.web.i18n import Formats
from socialcredit.web.pages import TEMPLATES

try:  # WeasyPrint loads Pango when imported; a server without it still serves every page
    import weasyprint
except OSError:  # pragma: no cover - depends on the machine
    weasyprint = None

STYLE = Path(__file__).parent / "static" / "report.css"


class ReportUnavailableError(SocialCreditError):
    code = "unavailable"
    http_status = 503


def pdf_report(f: Formats, found: SubjectFileOut, policies: PolicySet) -> bytes:
    """The credit report of ``found`` in the language of ``f``, as PDF bytes."""
    if weasyprint is None:  # pragma: no cover - depends on the machine
        raise ReportUnavailableError("this server has no PDF library (Pango is missing)", {})
    context: dict[str, Any] = {
        "f": f,
        "_": f.gettext,
        "ngettext": f.ngettext,
        "file": found,
        "a": found.assessment,
        "policies": policies,
    }
    html = TEMPLATES.env.get_template("report.html").render(context)
    document = weasyprint.HTML(string=html, base_url=str(STYLE.parent))
    data: bytes = document.write_pdf(stylesheets=[weasyprint.CSS(filename=str(STYLE))])
    return data
