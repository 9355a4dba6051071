from __future__ import annotations


def action_url_name(transition: str) -> str:
    """The URL spelling of a transition: approve_without_return -> approve-without-return."""
    return transition.replace("_", "-")
