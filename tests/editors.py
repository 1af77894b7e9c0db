"""The editorial team as the tests meet it: users in the groups `bootstrap` creates
(practices/editorial.py), logged in through the real login with a password, and the sections
they work in. Its fixtures are registered for every test in tests/conftest.py."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client

from practices.editorial import APPROVERS, EDITORS
from practices.models import PracticeIndexPage, ReportIndexPage

PASSWORD = "hemmelig-passord"


def make_user(username, *group_names, **extra):
    user = get_user_model().objects.create_user(username, f"{username}@example.no", PASSWORD, **extra)
    for name in group_names:
        user.groups.add(Group.objects.get(name=name))
    return user


def logged_in(user):
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def redaktor(db):
    return make_user("rita.redaktor", EDITORS, first_name="Rita", last_name="Redaktør")


@pytest.fixture
def godkjenner(db):
    return make_user("gunnar.godkjenner", APPROVERS, first_name="Gunnar", last_name="Godkjenner")


@pytest.fixture
def godkjenner2(db):
    """A second Godkjenner, who approves Gunnar's changes (nobody approves their own)."""
    return make_user("gro.godkjenner", APPROVERS, first_name="Gro", last_name="Godkjenner")


@pytest.fixture
def practice_index(db):
    return PracticeIndexPage.objects.get()


@pytest.fixture
def report_index(db):
    return ReportIndexPage.objects.get()
