"""The registry's words as the portal shows them: each is a message id of the catalogues
(marked with ``N_`` so that extraction finds it) and is translated when a page is rendered."""

from __future__ import annotations


def N_(message: str) -> str:
    """Mark ``message`` for extraction; translated later, when a page is rendered."""
    return message


WORDS: dict[str, str] = {
    # areas
    "government_affairs": N_("government affairs"),
    "commercial": N_("commercial"),
    "societal": N_("societal"),
    "judicial": N_("judicial"),
    # severity and polarity
    "minor": N_("minor"),
    "general": N_("general"),
    "serious": N_("serious"),
    "positive": N_("positive"),
    "negative": N_("negative"),
    # list kinds
    "red": N_("red list"),
    "black": N_("black list"),
    "watch": N_("watch list"),
    # effects
    "allow": N_("allowed"),
    "deny": N_("denied"),
    "restrict": N_("restricted"),
    "benefit": N_("benefit"),
    # record status and events
    "effective": N_("effective"),
    "counting": N_("counting"),
    "pending": N_("pending"),
    "disputed": N_("disputed"),
    "suspended": N_("suspended"),
    "resolved": N_("resolved"),
    "revoked": N_("revoked"),
    "corrected": N_("corrected"),
    "expired": N_("expired"),
    "registered": N_("registered"),
    "notice served": N_("notice served"),
    "decided": N_("decided"),
    "granted": N_("granted"),
    "refused": N_("refused"),
    "upheld": N_("upheld"),
    "unchanged": N_("unchanged"),
    "sent": N_("sent"),
    "submitted": N_("submitted"),
    # roles of a responsible-person link
    "legal_representative": N_("legal representative"),
    "main_responsible_person": N_("main responsible person"),
    "directly_responsible_person": N_("directly responsible person"),
    "actual_controller": N_("actual controller"),
    # subject kinds
    "person": N_("person"),
    "organisation": N_("organisation"),
    # notices
    "record": N_("A record has been registered about you"),
    "list-entry": N_("You have been placed on a list"),
    "list-exit": N_("You are no longer on a list"),
    # tiers
    "public": N_("public"),
    "restricted": N_("restricted"),
    "subject_only": N_("the subject only"),
}


def word(key: str | None) -> str:
    """The message id of a registry word (the word itself when it has none)."""
    if key is None:
        return ""
    return WORDS.get(key, key)
