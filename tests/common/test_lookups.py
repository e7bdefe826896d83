"""`in_array`: the same rows as `__in`, written so PostgreSQL runs the subquery once (common/lookups.py)."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

User = get_user_model()


@pytest.mark.django_db
def test_in_array_selects_the_rows_of_the_subquery():
    a = User.objects.create_user(username="a1", password="x")
    b = User.objects.create_user(username="b1", password="x")
    User.objects.create_user(username="c1", password="x")
    sub = User.objects.filter(username__in=["a1", "b1"]).values("pk")
    qs = User.objects.filter(pk__in_array=sub).order_by("pk")
    assert list(qs) == [a, b]
    assert set(User.objects.exclude(pk__in_array=sub).values_list("username", flat=True)) >= {"c1"}


@pytest.mark.django_db
def test_in_array_sql_per_vendor():
    sql = str(User.objects.filter(pk__in_array=User.objects.filter(is_staff=True).values("pk")).query)
    if connection.vendor == "postgresql":
        assert "= ANY(ARRAY(SELECT" in sql
    else:
        assert " IN (SELECT" in sql
