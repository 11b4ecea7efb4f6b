"""The national volunteering data generator, at a tiny scale, on PostgreSQL (COPY).

Skipped on SQLite: the benchmark's data set is PostgreSQL's. Run with
DATABASE_URL=postgres://postgres@127.0.0.1:5432/ataa_<tag> .venv/bin/pytest bench/tests
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter

import pytest
from django.db import connection, transaction
from django.test import Client

from bench import bulk, volunteering, volunteering_data
from conftest import add_member, make_organization, make_user

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the benchmark data set needs PostgreSQL"
    ),
]

TINY = volunteering_data.VolunteeringScale(volunteers=400, opportunities=80, applications=1500)
TABLES = [
    "accounts_user",
    "account_emailaddress",
    "volunteers_volunteerprofile",
    "volunteers_volunteerprofile_skills",
    "volunteers_consentrecord",
    "opportunities_opportunity",
    "opportunities_shift",
    "opportunities_application",
]


@pytest.fixture
def organizations(db):
    made = []
    for number, city in enumerate(["Riyadh", "Jeddah", "Dammam"]):
        organization = make_organization(f"جمعية الخير {number}", f"Al-Khair {number}", city)
        add_member(make_user(f"admin{number}@example.com", "مدير"), organization, "admin")
        made.append(organization)
    return made


def comparable(definition: str) -> str:
    """An index or constraint definition without its casts and parentheses: PostgreSQL prints the
    predicate of a partial index made from its own printout with the casts placed differently
    (`ANY ((ARRAY['a'::varchar])::text[])` against `ANY (ARRAY[('a'::varchar)::text])`), the
    same predicate."""
    definition = re.sub(r"::[a-z ]+(\[\])?", "", definition)
    return re.sub(r"[()\s]+", "", definition)


def generate(**kwargs):
    lines = []
    result = volunteering_data.generate(scale=TINY, seed=7, log=lines.append, **kwargs)
    return result, lines


def rows_digest() -> str:
    digest = hashlib.sha256()
    with connection.cursor() as cursor:
        for table in TABLES:
            columns = "*" if table != "accounts_user" else "id, email, full_name, phone"
            cursor.execute(f'SELECT {columns} FROM "{table}" ORDER BY id')
            digest.update(repr(cursor.fetchall()).encode())
    return digest.hexdigest()


def test_counts_and_every_constraint_and_index_as_the_migrations_made_them(organizations):
    from ataa.opportunities.models import Application, Opportunity
    from ataa.volunteers.models import VolunteerProfile

    before = bulk.index_definitions(TABLES)
    result, lines = generate(defer_indexes=True)  # the path the full scale takes

    after = bulk.index_definitions(TABLES)
    for table in TABLES:  # dropped for the load, made again: the same definitions
        assert {comparable(d) for d in after[table]} == {comparable(d) for d in before[table]}
    assert any("indexes and constraints built and checked" in line for line in lines)
    assert result.counts["users"] == result.counts["volunteer profiles"] == 400
    assert result.counts["opportunities"] == 80
    assert result.counts["applications"] == 1500
    assert VolunteerProfile.objects.filter(user__email__endswith="@bench.ataa.test").count() == 400
    assert Opportunity.objects.count() == 80
    assert Application.objects.count() == 1500
    # The constraints were checked when they were made again; the sequences continue after
    # the generated ids, so the services can add rows.
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    user = make_user("after@example.com", "بعد")
    assert user.pk > max(VolunteerProfile.objects.values_list("user_id", flat=True))


def test_applications_follow_the_services_rules(organizations):
    from ataa.opportunities.applications import eligibility_problems
    from ataa.opportunities.models import Application, Opportunity, Shift

    generate()
    applications = list(
        Application.objects.select_related(
            "opportunity", "shift", "volunteer__volunteer_profile"
        ).prefetch_related(
            "opportunity__required_skills",
            "opportunity__required_qualifications",
            "volunteer__volunteer_profile__skills",
        )
    )
    pairs = Counter((a.volunteer_id, a.opportunity_id) for a in applications)
    assert max(pairs.values()) == 1  # one application per volunteer and opportunity
    with_shifts = set(Shift.objects.values_list("opportunity_id", flat=True))
    accepted: Counter = Counter()
    for application in applications:
        opportunity = application.opportunity
        assert opportunity.status != Opportunity.Status.DRAFT
        assert (application.shift_id is not None) == (opportunity.pk in with_shifts)
        if application.shift_id:
            assert application.shift.opportunity_id == opportunity.pk
        assert application.party_size == application.volunteer.volunteer_profile.party_size
        if application.status == Application.Status.ACCEPTED:
            holder = (
                ("shift", application.shift_id) if application.shift_id else ("o", opportunity.pk)
            )
            accepted[holder] += application.party_size
        assert (application.decided_at is None) == (application.status == "pending")
    for (kind, pk), places in accepted.items():
        model = Shift if kind == "shift" else Opportunity
        assert places <= model.objects.get(pk=pk).capacity
    for application in applications:  # the hard rules, as the service checks them
        assert not eligibility_problems(
            profile=application.volunteer.volunteer_profile,
            opportunity=application.opportunity,
            shift=application.shift,
        ), application.pk


def test_search_text_is_the_services_own_and_search_finds_other_spellings(organizations):
    from ataa.opportunities import selectors
    from ataa.opportunities.models import Opportunity
    from ataa.opportunities.services import compute_search_text

    generate()
    opportunities = Opportunity.objects.select_related("organization", "city", "district", "field")
    for opportunity in opportunities:
        assert opportunity.search_text == compute_search_text(opportunity)
        assert opportunity.title_ar and opportunity.title_en and opportunity.description_ar

    queries = volunteering.search_queries(30, seed=3)
    assert len(queries) >= 10
    for query in queries:
        found = selectors.public_opportunity_list(selectors.OpportunityFilters(**query))
        assert found.exists(), query
    # Every query has a spelling other than the stored text's (the normalizer must fold it).
    assert all(query["q"] not in Opportunity.objects.values_list("title_ar", flat=True)
               for query in queries[:1])  # fmt: skip


def test_the_same_seed_writes_the_same_rows(organizations):
    with transaction.atomic():
        generate()
        first = rows_digest()
        transaction.set_rollback(True)
    with transaction.atomic():
        generate()
        assert rows_digest() == first
        transaction.set_rollback(True)


def test_planned_applications_are_each_a_new_application_the_api_accepts(organizations):
    from ataa.opportunities.models import Application

    generate()
    planned = volunteering.apply_requests(12, volunteers=20, opportunities=40, seed=5)
    assert len(planned) == 12
    assert len({(item.path, item.headers["Authorization"]) for item in planned}) == 12
    assert volunteering.check_apply_requests(planned) == []
    client = Client()
    before = Application.objects.count()
    for item in planned:
        response = client.generic(
            "POST",
            item.path,
            data=item.body,
            content_type="application/json",
            headers={"Authorization": item.headers["Authorization"]},
        )
        assert response.status_code == 201, response.content
        assert json.loads(response.content)["status"] == "pending"
    assert Application.objects.count() == before + 12


def test_scale_fractions_and_spelling_variants():
    full = volunteering_data.VolunteeringScale()
    assert (full.volunteers, full.opportunities, full.applications) == (
        1_000_000,
        100_000,
        5_000_000,
    )
    small = volunteering_data.VolunteeringScale.fraction(0.01)
    assert (small.volunteers, small.opportunities, small.applications) == (10_000, 1_000, 50_000)
    import random

    from ataa.core.text import search_key

    rng = random.Random(1)
    for word in ["الأيتام", "رعاية", "مستشفى", "الخيرية", "تطوع", "القرآن"]:
        variant = volunteering.spelling_variant(word, rng)
        assert variant != word and search_key(variant) == search_key(word)
