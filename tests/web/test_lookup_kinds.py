"""The portal's public lookup reads 18 digits as a credit code when its check character passes
(organisations only are looked up publicly); a person's number is still not looked up."""

from __future__ import annotations

from tests.api.test_lookup_kinds import BOTH, DIGIT_CODE, registered
from tests.registry.helpers import P1
from tests.web.conftest import Portal


def test_the_portal_opens_an_all_digit_credit_code(portal: Portal) -> None:
    registered(portal.seeded.registry)
    for code in (BOTH, DIGIT_CODE):
        found = portal.client.get(f"/lookup?q={code}&lang=en")
        assert found.url.path == f"/organisations/{code}"
    page = portal.client.get(f"/lookup?q={P1}&lang=en")
    assert "Natural persons are not looked up publicly" in page.text
