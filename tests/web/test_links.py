"""A person's own page shows the link naming it (in its language) and the person objects to
the link through the portal, as to a record."""

from __future__ import annotations

from socialcredit.registry.writes.linksubmit import submit_link
from socialcredit.registry.writes.submit import Submission
from tests.registry.conftest import OPERATOR
from tests.registry.linkhelpers import REGULATOR, legal_rep
from tests.web.conftest import Portal
from tests.web.seed import O1, P1, csrf_of


def test_the_person_sees_the_link_and_objects_to_it(portal: Portal) -> None:
    link = legal_rep("REG-1", O1, P1)
    submit_link(portal.seeded.registry, link, Submission(REGULATOR, OPERATOR))
    portal.sign_in("subject")
    page = portal.client.get(f"/subjects/{P1}?lang=en").text
    assert "Responsible-person links" in page and "legal representative" in page
    assert 'value="l1"' in page
    body = {"record": "l1", "grounds": "I resigned in 2019.", "csrf": csrf_of(page)}
    filed = portal.client.post(f"/subjects/{P1}/objections", data=body)
    assert filed.status_code == 200
    again = portal.client.get(f"/subjects/{P1}").text
    assert "You objected to this link on" in again
    chinese = portal.client.get(f"/subjects/{P1}?lang=zh").text
    assert "关联责任人" in chinese and "法定代表人" in chinese
