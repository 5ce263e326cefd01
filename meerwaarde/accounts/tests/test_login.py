import pytest
from django.contrib.auth.hashers import identify_hasher
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse

from meerwaarde.accounts.models import User
from meerwaarde.accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
LOGIN = reverse("accounts:login")


def _login(client: Client, email: str, password: str):
    return client.post(LOGIN, {"username": email, "password": password})


def test_it_logs_in_with_email_and_password():
    UserFactory(email="wim@example.org")
    response = _login(Client(), "wim@example.org", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("core:dashboard")


def test_it_shows_a_dutch_error_and_keeps_the_email_on_a_wrong_password():
    UserFactory(email="wim@example.org")
    response = _login(Client(), "wim@example.org", "fout")
    html = response.content.decode()
    assert response.status_code == 200
    assert "horen niet bij elkaar" in html
    assert 'value="wim@example.org"' in html


def test_it_locks_the_account_at_the_tenth_wrong_password():
    UserFactory(email="wim@example.org")
    client = Client()
    for _ in range(9):
        assert _login(client, "wim@example.org", "fout").status_code == 200
    response = _login(client, "wim@example.org", "fout")
    assert response.status_code == 429
    html = response.content.decode()
    assert "tijdelijk geblokkeerd" in html
    assert 'value="wim@example.org"' in html
    # Even the right password is refused while locked.
    assert _login(Client(), "wim@example.org", PASSWORD).status_code == 429


def test_it_locks_per_account_not_for_colleagues():
    UserFactory(email="wim@example.org")
    UserFactory(email="collega@example.org")
    client = Client()
    for _ in range(10):
        _login(client, "wim@example.org", "fout")
    assert _login(client, "collega@example.org", PASSWORD).status_code == 302


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.Argon2PasswordHasher"])
def test_it_hashes_passwords_with_argon2():
    user = User.objects.create_user("a@example.org", "een-lang-wachtwoord", full_name="A")
    assert identify_hasher(user.password).algorithm == "argon2"


def test_it_logs_out_on_post_only(bob_client):
    assert bob_client.post(reverse("accounts:logout")).status_code == 302
    assert bob_client.get(reverse("core:dashboard")).status_code == 302


def test_it_sends_a_one_time_reset_link_and_sets_a_new_password():
    UserFactory(email="wim@example.org")
    client = Client()
    response = client.post(reverse("accounts:password_reset"), {"email": "wim@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/account/herstel/" in line)
    path = link.split("testserver", 1)[1]
    response = client.get(path, follow=True)
    form_url = response.redirect_chain[-1][0]
    new = {"new_password1": "nieuw-lang-wachtwoord-9", "new_password2": "nieuw-lang-wachtwoord-9"}
    assert client.post(form_url, new).status_code == 302
    assert _login(Client(), "wim@example.org", "nieuw-lang-wachtwoord-9").status_code == 302
    # The link works once.
    assert "al gebruikt of verlopen" in Client().get(path, follow=True).content.decode()


def test_it_does_not_reveal_whether_an_address_has_an_account():
    response = Client().post(reverse("accounts:password_reset"), {"email": "niemand@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_it_changes_the_password_with_dutch_errors_on_mismatch(bob_client):
    url = reverse("accounts:password_change")
    response = bob_client.post(
        url,
        {"old_password": PASSWORD, "new_password1": "een-nieuw-wachtwoord", "new_password2": "x"},
    )
    assert "De twee wachtwoordvelden komen niet overeen." in response.content.decode()
    response = bob_client.post(
        url,
        {
            "old_password": PASSWORD,
            "new_password1": "een-nieuw-wachtwoord",
            "new_password2": "een-nieuw-wachtwoord",
        },
    )
    assert response.status_code == 302


def test_it_explains_password_rules_in_dutch(bob_client):
    response = bob_client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "kort", "new_password2": "kort"},
    )
    html = response.content.decode()
    assert "Dit wachtwoord is te kort. Gebruik minstens 10 tekens." in html
    response = bob_client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "bob@example.org",
            "new_password2": "bob@example.org",
        },
    )
    assert "Dit wachtwoord lijkt te veel op uw e-mailadres." in response.content.decode()
