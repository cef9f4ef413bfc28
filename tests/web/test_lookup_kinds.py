"""The portal's public lookup reads 18 digits as a credit code when its check character passes
(organisations only are looked up publicly); a person's number is still not looked up."""

from __future__ import annotations

from socialcredit.registry.writes.submit import Submission, submit_record
from tests.api.test_lookup_kinds import BOTH, DIGIT_CODE, registered
from tests.registry.conftest import OPERATOR
from tests.registry.helpers import COURT, P1, spc
from tests.web.conftest import Portal


def test_the_portal_opens_an_all_digit_credit_code(portal: Portal) -> None:
    registered(portal.seeded.registry)
    for code in (BOTH, DIGIT_CODE):
        found = portal.client.get(f"/lookup?q={code}&lang=en")
        assert found.url.path == f"/organisations/{code}"
    page = portal.client.get(f"/lookup?q={P1}&lang=en")
    assert "Natural persons are not looked up publicly" in page.text


def test_the_portal_opens_an_organisation_by_its_old_code(portal: Portal) -> None:
    raw = spc("k-9", "91350100600037341P")
    submit_record(portal.seeded.registry, raw, Submission(COURT, OPERATOR))
    found = portal.client.get("/lookup?q=60003734-1&lang=en")
    assert found.status_code == 200 and "91350100600037341P" in found.text
    assert portal.client.get("/organisations/12345678-8?lang=en").status_code == 404
