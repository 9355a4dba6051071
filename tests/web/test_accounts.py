"""Accounts (finding 9 of the attack probe): an address typed at sign-up is e-mailed notices
only once its owner opened the signed link sent to it; an address is one account's; a
forgotten password is reset through Django's flow, by e-mail to a proved address only, and
asking for it is rate-limited per client address and per account."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from core.accounts import email_verification_token, email_verified
from core.errors import CoreErrorCode, DomainError
from core.models import Notification, OutboxMessage
from core.outbox import outbox_relay, run_here
from core.services import user_email_verify
from tests import factories

pytestmark = pytest.mark.django_db
User = get_user_model()
LINK = re.compile(r"https?://\S+")


def sign_up(client, username="newbuyer", email="new@example.com"):
    return client.post(
        reverse("signup"),
        {
            "username": username,
            "email": email,
            "password": "a-long-pass-42",
            "password_again": "a-long-pass-42",
        },
        follow=True,
    )


def the_link(message) -> str:
    return LINK.search(message.body).group(0).removeprefix("http://127.0.0.1:8000")


def sent_emails() -> list:
    outbox_relay(hand_over=run_here)
    return list(mail.outbox)


def test_a_new_address_is_emailed_a_link_and_no_notice_until_it_is_opened(zh_client, wf):
    sign_up(zh_client)
    user = User.objects.get(username="newbuyer")
    [link_mail] = sent_emails()
    assert link_mail.to == ["new@example.com"] and "确认" in link_mail.subject
    assert not email_verified(user)

    # A notice to the new account stays on the site: no e-mail to an address not proved.
    wf.reject(wf.file(wf.order("shipped", buyer=user)))
    assert Notification.objects.filter(recipient=user, kind="refund_rejected").exists()
    assert [m.to for m in sent_emails()] == [["new@example.com"], [wf.merchant.email]]

    confirm = zh_client.get(the_link(link_mail))
    assert confirm.status_code == 200 and "确认" in confirm.content.decode()
    assert not email_verified(user)  # opening the link (a mail scanner) proves nothing
    zh_client.post(the_link(link_mail), follow=True)
    assert email_verified(user)


def test_the_link_proves_the_address_it_was_sent_to_and_nothing_else(db):
    user = factories.UserFactory(email="first@example.com", email_verified=False)
    token = email_verification_token(user)
    user.email = "second@example.com"
    user.save()

    answer = Client().post(reverse("verify-email", args=[token]))

    assert answer.status_code == 400
    assert not email_verified(user)


@pytest.mark.parametrize("token", ["forged", "eyJ1c2VyIjoxfQ:abc:def"])
def test_a_forged_link_is_refused(token):
    answer = Client().get(reverse("verify-email", args=[token]))

    assert answer.status_code == 400


def test_an_expired_link_is_refused(settings):
    user = factories.UserFactory(email_verified=False)
    token = email_verification_token(user)
    settings.EMAIL_VERIFICATION_MAX_AGE = -1

    with pytest.raises(DomainError) as refused:
        user_email_verify(token=token)
    assert refused.value.code == CoreErrorCode.EMAIL_LINK_INVALID
    assert not email_verified(user)


def test_a_signed_in_user_gets_a_new_link_from_the_personal_center():
    user = factories.UserFactory(email_verified=False)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    assert "Send the link again" in client.get(reverse("personal-center")).content.decode()

    client.post(reverse("verify-email-send"))
    [link_mail] = sent_emails()
    client.post(the_link(link_mail))

    assert email_verified(user)
    assert "Send the link again" not in client.get(reverse("personal-center")).content.decode()


def test_an_address_another_account_uses_is_refused_in_any_case(zh_client):
    factories.UserFactory(username="first", email="Someone@Example.com")

    answer = sign_up(zh_client, email="someone@EXAMPLE.com")

    assert answer.context["form"].errors["email"]
    assert not User.objects.filter(username="newbuyer").exists()
    assert not OutboxMessage.objects.exists()


def test_the_api_refuses_an_address_in_use_with_its_code(client):
    factories.UserFactory(email="someone@example.com")

    answer = client.post(
        "/api/v1/auth/register/",
        {"username": "newbuyer", "password": "a-long-pass-42", "email": "SOMEONE@example.com"},
        content_type="application/json",
    )

    assert answer.status_code == 400
    assert answer.json()["code"] == "email_taken"


def test_the_database_keeps_one_account_per_address(db):
    factories.UserFactory(email="someone@example.com")
    factories.UserFactory(email="")
    factories.UserFactory(email="")  # many accounts have none

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="other", email="SomeOne@example.com")


def ask_for_a_reset(client, email):
    return client.post(reverse("password-reset"), {"email": email}, follow=True)


def test_a_forgotten_password_is_reset_through_the_emailed_link(zh_client):
    factories.UserFactory(username="forgetful", email="forgetful@example.com")

    page = ask_for_a_reset(zh_client, "FORGETFUL@example.com")
    assert "查收" in page.content.decode()
    [reset_mail] = sent_emails()
    assert reset_mail.to == ["forgetful@example.com"] and "重置密码" in reset_mail.subject

    form = zh_client.get(the_link(reset_mail), follow=True)
    assert "新密码" in form.content.decode()
    done = zh_client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "another-pass-77", "new_password2": "another-pass-77"},
        follow=True,
    )
    assert done.status_code == 200
    assert Client().login(username="forgetful", password="another-pass-77")
    assert zh_client.get(the_link(reset_mail), follow=True).context["validlink"] is False


def test_the_reset_pages_speak_english_too(en_client):
    page = en_client.get(reverse("password-reset")).content.decode()

    assert "Reset your password" in page
    assert "Forgot your password?" in en_client.get(reverse("login")).content.decode()


@pytest.mark.parametrize("email", ["nobody@example.com", "unproved@example.com"])
def test_no_reset_link_goes_to_an_unknown_or_unproved_address_and_the_page_says_the_same(
    zh_client, email
):
    factories.UserFactory(email="unproved@example.com", email_verified=False)

    page = ask_for_a_reset(zh_client, email)

    assert "查收" in page.content.decode()
    assert sent_emails() == []


def test_reset_links_to_one_account_are_limited_whoever_asks(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "account_email": "2/hour",
        },
    }
    factories.UserFactory(email="victim@example.com")

    for n in range(4):
        ask_for_a_reset(Client(REMOTE_ADDR=f"10.0.0.{n}"), "victim@example.com")

    assert len(sent_emails()) == 2


def test_asking_for_resets_is_limited_per_client_address(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "password_reset": "2/hour",
        },
    }
    client = Client()

    answers = [
        client.post(reverse("password-reset"), {"email": f"a{n}@example.com"}).status_code
        for n in range(3)
    ]

    assert answers == [302, 302, 429]
