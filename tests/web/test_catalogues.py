"""The message catalogues are current and complete: the template (``messages.pot``) holds
exactly the messages the sources use, and the Chinese catalogue translates each of them with
the same placeholders. (Catalogues are compiled in memory when the portal starts; no ``.mo``
file is kept, so none can be stale.)"""

from __future__ import annotations

import re

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from socialcredit.web import i18n
from socialcredit.web.i18n import LOCALE_DIR, po_path

WEB = LOCALE_DIR.parent
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def _ids(messages: object) -> set[str]:
    found = set()
    for message in messages:  # type: ignore[attr-defined]
        key = message.id if isinstance(message.id, str) else message.id[0]
        if key:
            found.add(key)
    return found


def test_the_template_holds_exactly_the_messages_of_the_sources() -> None:
    with (WEB / "babel.cfg").open() as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    keywords = DEFAULT_KEYWORDS | {"N_": None}
    extracted = set()
    for _, _, message, _, _ in extract_from_dir(WEB, method_map, options_map, keywords):
        extracted.add(message if isinstance(message, str) else message[0])
    with (LOCALE_DIR / "messages.pot").open("rb") as handle:
        template = _ids(read_po(handle))
    assert extracted == template, (
        "messages.pot is stale: run the extraction of docs/portal.md "
        f"(new: {sorted(extracted - template)[:5]}, gone: {sorted(template - extracted)[:5]})"
    )


def test_every_message_is_translated_into_chinese_with_its_placeholders() -> None:
    with (LOCALE_DIR / "messages.pot").open("rb") as handle:
        template = _ids(read_po(handle))
    with po_path("zh").open("rb") as handle:
        catalog = read_po(handle)
    translated = {}
    for message in catalog:
        if message.id and not message.fuzzy:
            key = message.id if isinstance(message.id, str) else message.id[0]
            text = message.string if isinstance(message.string, str) else message.string[0]
            translated[key] = text
    missing = sorted(k for k in template if not translated.get(k))
    assert not missing, f"untranslated in zh: {missing[:10]}"
    for key, text in translated.items():
        assert PLACEHOLDER.findall(key) == PLACEHOLDER.findall(text), key
    assert i18n.translations("zh").gettext("Sign in") == "登录"
