"""The hours ledger generator, at a tiny scale, on PostgreSQL (COPY).

Skipped on SQLite: the benchmark's data set is PostgreSQL's. Run with
DATABASE_URL=postgres://postgres@127.0.0.1:5432/ataa_<tag> .venv/bin/pytest bench/tests
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from itertools import pairwise

import pytest
from django.db import connection, transaction

from bench import bulk, hours_data, volunteering_data
from bench.report import RunInfo, render_report
from bench.tests.test_volunteering_data import comparable, organizations  # noqa: F401
from conftest import make_user

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the benchmark data set needs PostgreSQL"
    ),
]

TINY = volunteering_data.VolunteeringScale(volunteers=300, opportunities=60, applications=300)
ENTRIES = hours_data.HoursScale(entries=3000)
TABLE = "hours_hourentry"


@pytest.fixture
def volunteering(organizations):  # noqa: F811
    volunteering_data.generate(scale=TINY, seed=7, log=lambda line: None)


def generate(**kwargs):
    lines = []
    result = hours_data.generate(scale=ENTRIES, seed=7, log=lines.append, **kwargs)
    return result, lines


def test_entries_per_volunteer_never_overlap_and_follow_the_ledgers_rules(volunteering):
    from ataa.hours.models import HourEntry
    from ataa.opportunities.models import Opportunity

    before = bulk.index_definitions([TABLE])
    assert any("hourentry_no_overlap EXCLUDE" in d for d in before[TABLE])
    result, lines = generate(defer_indexes=True)  # the path the full scale takes

    # The exclusion constraint was dropped for the load and made again (checking every row).
    after = bulk.index_definitions([TABLE])
    assert {comparable(d) for d in after[TABLE]} == {comparable(d) for d in before[TABLE]}
    assert any("indexes and constraints built and checked" in line for line in lines)
    assert result.counts["hour entries"] == 3000
    entries = list(HourEntry.objects.select_related("opportunity", "volunteer"))
    assert len(entries) == 3000

    volunteers = set(hours_data.volunteer_ids())
    per_volunteer = Counter(entry.volunteer_id for entry in entries)
    assert set(per_volunteer) <= volunteers
    assert 8 <= sum(per_volunteer.values()) / len(per_volunteer) <= 13  # about 10 each
    assert max(per_volunteer.values()) <= hours_data.MAX_PER_VOLUNTEER
    days = Counter((entry.volunteer_id, entry.starts_at.date()) for entry in entries)
    assert max(days.values()) == 1  # one entry a day at most
    spans: dict[int, list] = {}
    for entry in entries:
        spans.setdefault(entry.volunteer_id, []).append((entry.starts_at, entry.ends_at))
    for own in spans.values():  # and so no two of one volunteer overlap
        own.sort()
        assert all(earlier[1] <= later[0] for earlier, later in pairwise(own))

    statuses = Counter(entry.status for entry in entries)
    assert set(statuses) <= {"approved", "pending", "rejected"}
    assert statuses["approved"] > 0.75 * len(entries)
    assert statuses["pending"] and statuses["rejected"]
    assert {entry.source for entry in entries} == {"attendance", "remote"}
    for entry in entries:
        assert 60 <= entry.minutes <= 360
        assert entry.minutes * 60 == (entry.ends_at - entry.starts_at).total_seconds()
        assert entry.created_by_id == entry.volunteer_id
        assert entry.organization_id == entry.opportunity.organization_id
        assert entry.opportunity.status != Opportunity.Status.DRAFT
        if entry.opportunity.work_mode == "remote":
            assert entry.source == "remote"
        if entry.opportunity.work_mode == "on_site":
            assert entry.source == "attendance"
        assert (entry.decided_at is None) == (entry.status == "pending")
        assert entry.created_at >= entry.ends_at

    # The constraints hold against the services' writes afterwards: ids continue, and an
    # overlapping live entry is refused by the exclusion constraint.
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    first = entries[0]
    from django.db import IntegrityError

    with pytest.raises(IntegrityError), transaction.atomic():
        HourEntry.objects.create(
            volunteer_id=first.volunteer_id,
            organization_id=first.organization_id,
            opportunity_id=first.opportunity_id,
            source="remote",
            starts_at=first.starts_at,
            ends_at=first.ends_at,
            minutes=first.minutes,
            created_by_id=first.volunteer_id,
            status="pending",
        )
    assert make_user("after@example.com", "بعد").pk  # the users' sequence is untouched
    assert bulk.next_id(HourEntry) > max(entry.pk for entry in entries)


def test_the_same_seed_writes_the_same_rows(volunteering):
    def digest() -> str:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT * FROM {TABLE} ORDER BY id")
            return hashlib.sha256(repr(cursor.fetchall()).encode()).hexdigest()

    with transaction.atomic():
        generate()
        first = digest()
        transaction.set_rollback(True)
    with transaction.atomic():
        generate()
        assert digest() == first
        transaction.set_rollback(True)


def test_the_totals_are_timed_for_volunteers_with_entries(volunteering):
    from ataa.hours.selectors import volunteer_totals

    generate()
    timing = hours_data.time_volunteer_totals(count=40, seed=3, warmup=5)
    assert timing.volunteers == 40
    assert len(timing.durations_ms) == len(timing.floor_ms) == 40
    assert timing.p(50) <= timing.p(95) <= timing.p(99)
    assert "hours_hourentry" in timing.sql and "Execution Time" in timing.plan
    assert timing.entries_per_volunteer >= 1
    for pk in hours_data.sample_volunteers(10, seed=3):
        assert volunteer_totals(volunteer=pk).entries >= 1


def test_scale_fraction():
    assert hours_data.HoursScale().entries == 10_000_000
    assert hours_data.HoursScale.fraction(0.01).entries == 100_000


def test_an_earlier_ledger_is_removed_and_the_ledger_stays_append_only(volunteering):
    from django.db import DatabaseError

    from ataa.hours.models import HourEntry

    result, _lines = generate()
    first = result.counts["first id"]
    kept = set(HourEntry.objects.filter(pk__lt=first).values_list("pk", flat=True))
    with connection.cursor() as cursor:  # as after the generation's own commit
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    assert hours_data.remove(first, log=lambda line: None) == 3000
    assert set(HourEntry.objects.values_list("pk", flat=True)) == kept
    generate()
    # The trigger is enabled again: a DELETE is refused.
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE}")


def test_the_report_shows_the_volunteer_totals_against_their_target():
    from bench.hours_data import TotalsTiming
    from bench.report import TotalsResult

    def run_with(durations):
        timing = TotalsTiming(
            volunteers=len(durations),
            durations_ms=sorted(durations),
            sql='SELECT 1 FROM "hours_hourentry"',
            floor_ms=[0.2] * len(durations),
            plan="Aggregate\nExecution Time: 0.100 ms",
            entries_per_volunteer=10.4,
        )
        totals = TotalsResult(timing=timing, target_ms=50)
        run = RunInfo(
            started_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
            commit="abc",
            connections=50,
            duration_s=10,
            warmup_s=3,
            totals=totals,
        )
        return totals, render_report(run, [])

    totals, text = run_with([1.0] * 95 + [60.0] * 5)
    assert totals.passed and "## Volunteer totals over the hours ledger" in text
    assert "| volunteer_totals() in-process | 100 | 1.000 | 1.000 | 60.0 | 60.0 | PASS |" in text
    assert "Execution Time: 0.100 ms" in text
    totals, text = run_with([1.0] * 90 + [60.0] * 10)
    assert not totals.passed and "FAIL (p95 60.0 ms > 50 ms)" in text


def test_a_kept_data_set_differing_only_in_the_hours_is_completed_not_recreated(monkeypatch):
    from bench import database

    held = {"seed": 1, "sources": "a", "hours": None}
    monkeypatch.setattr(database, "postgres_answers", lambda: True)
    monkeypatch.setattr(database, "read_marker", lambda: {"fingerprint": held, "details": {"x": 1}})
    monkeypatch.setattr(database, "existing_postgres", lambda: "kept")
    monkeypatch.setattr(database, "recreate_postgres", lambda: "new")

    def prepare(fingerprint, **kwargs):
        return database.prepare(var_dir=None, fingerprint=fingerprint, partial=("hours",), **kwargs)

    assert prepare(held) == ("kept", {"x": 1}, [])
    with_hours = {**held, "hours": {"entries": 10}}
    assert prepare(with_hours) == ("kept", {"x": 1}, ["hours"])
    assert prepare({**with_hours, "sources": "b"}) == ("new", None, [])
    assert prepare(held, regenerate=True) == ("new", None, [])
