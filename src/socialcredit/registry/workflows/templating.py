"""Notices in the subject's language: a Jinja2 template per kind of notice and locale.

``templates/<kind>.<locale>.txt`` (else ``templates/_default.<locale>.txt``, which lists the
notice's content): the first line is the subject line, the rest the text. The locale is the
subject's preference in the contact directory (``workflows.contacts``), Chinese by default. A
locale without a template is a precise error: the notice is not sent and stays queued.
"""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, TemplatesNotFound

from socialcredit.errors import TemplateMissingError
from socialcredit.registry.writes.notices import OutgoingNotice

LOCALES = ("zh", "en")
DEFAULT_LOCALE = "zh"

_ENV = Environment(
    loader=PackageLoader("socialcredit.registry.workflows", "templates"),
    undefined=StrictUndefined,
    autoescape=False,
    keep_trailing_newline=True,
)
_FIELDS = (  # what a record notice says, when an older notice's body lacks it
    "record", "item", "title", "authority", "reference", "decided_on", "legal_basis",
    "notice_days", "objection_authority", "review_term", "review_term_zh",
)  # fmt: skip


def render_notice(notice: OutgoingNotice, locale: str) -> tuple[str, str]:
    """The subject line and the text of ``notice`` in ``locale``."""
    names = [f"{notice.kind}.{locale}.txt", f"_default.{locale}.txt"]
    try:
        template = _ENV.select_template(names)
    except TemplatesNotFound:
        raise TemplateMissingError(
            f"no template for {notice.kind!r} notices in locale {locale!r} "
            f"(looked for {', '.join(names)}; locales with templates: {', '.join(LOCALES)})",
            {"kind": notice.kind, "locale": locale, "notice": notice.id},
        ) from None
    context: dict[str, Any] = dict.fromkeys(_FIELDS, "") | dict(notice.body)
    text = template.render(context | {"kind": notice.kind, "body": notice.body})
    subject, _, rest = text.partition("\n")
    return subject.strip(), rest.lstrip("\n")
