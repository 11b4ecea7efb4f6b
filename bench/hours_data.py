"""Synthetic hours ledger at national scale: 10,000,000 hour entries of the benchmark's volunteers.

`generate()` writes, for `HoursScale()` (the issue's scale), `hours_hourentry` rows for the
volunteers of bench/volunteering_data.py (users at @bench.ataa.test) on the organizations'
opportunities (not drafts):

- about 10 entries per volunteer (a few have none, some up to 40), over the last two years, one
  entry a day at most, so a volunteer's live entries never overlap (the ledger's exclusion
  constraint checks it when it is made again after the load);
- 1 to 6 hours each, in half hours; on-site opportunities give check-in/check-out entries
  ("attendance", without an attendance row: the benchmark has none), remote ones entries the
  volunteer submitted ("remote"), hybrid ones either;
- mostly approved; the last two weeks' often still pending; some rejected; decided by the
  opportunity's manager; written by the volunteer;
- written in the order they were made (day by day), so one volunteer's entries lie apart in the
  table, as in a ledger that grew over two years.

On PostgreSQL the rows go through COPY (bench/bulk.py), the table's indexes and constraints (the
exclusion constraint too) dropped for the load and built again after it, then VACUUM ANALYZE.
The ledger's append-only trigger stays: COPY fires no UPDATE or DELETE trigger.

Deterministic for a seed, a day and the volunteering data set: days are drawn relative to the
start of the day of the generation, everything else only from the seed.

`time_volunteer_totals()` measures `ataa.hours.selectors.volunteer_totals` over this ledger.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from array import array
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction

from bench import bulk
from bench.volunteering_data import EMAIL_DOMAIN, Result

GENERATOR_VERSION = 1
DAYS = 730  # the ledger's span: the two years before the day of the generation
MAX_PER_VOLUNTEER = 40
Log = Callable[[str], None]

REMOTE_WORK = [
    "إعداد محتوى توعوي", "ترجمة مواد الحملة", "تصميم منشورات", "إدخال بيانات المستفيدين",
    "دعم هاتفي للأسر", "Translating campaign material", "Designing posters",
    "Entering beneficiary records", "Phone support for families",
]  # fmt: skip


@dataclass(frozen=True)
class HoursScale:
    entries: int = 10_000_000

    @classmethod
    def fraction(cls, fraction: float) -> HoursScale:
        """The issue's scale times `fraction` (0.01: 100,000 entries)."""
        return cls(entries=max(50, round(cls().entries * fraction)))

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class _Opportunities:
    ids: array = field(default_factory=lambda: array("q"))
    organizations: array = field(default_factory=lambda: array("q"))
    modes: bytearray = field(default_factory=bytearray)  # 0 on site, 1 remote, 2 hybrid
    managers: list = field(default_factory=list)  # user id or None


def _entry_counts(rng: random.Random, volunteers: int, total: int) -> list[int]:
    """Entries per volunteer: 8 % none, the others around 10 (1 … 40), summing to `total`."""
    raw = [
        0 if rng.random() < 0.08 else min(MAX_PER_VOLUNTEER, max(1, round(rng.gauss(10, 4))))
        for _ in range(volunteers)
    ]
    current = sum(raw) or 1
    counts = [min(MAX_PER_VOLUNTEER, count * total // current) for count in raw]
    active = [index for index, count in enumerate(raw) if count] or list(range(volunteers))
    missing, turn = total - sum(counts), 0
    while missing > 0 and turn < 10 * len(active) * MAX_PER_VOLUNTEER:  # remainder, one each
        index = active[turn * 7_919 % len(active)]
        if counts[index] < MAX_PER_VOLUNTEER:
            counts[index] += 1
            missing -= 1
        turn += 1
    return counts


def _load_opportunities() -> _Opportunities:
    from ataa.opportunities.models import Opportunity

    out = _Opportunities()
    modes = {"on_site": 0, "remote": 1, "hybrid": 2}
    rows = (
        Opportunity.objects.exclude(status=Opportunity.Status.DRAFT)
        .order_by("pk")
        .values_list("pk", "organization_id", "work_mode", "created_by_id")
    )
    for pk, organization_id, work_mode, manager in rows.iterator(chunk_size=20_000):
        out.ids.append(pk)
        out.organizations.append(organization_id)
        out.modes.append(modes.get(work_mode, 0))
        out.managers.append(manager)
    return out


def volunteer_ids() -> list[int]:
    """The benchmark's volunteers (bench/volunteering_data.py's users), by id."""
    from ataa.accounts.models import User

    return list(
        User.objects.filter(email__endswith="@" + EMAIL_DOMAIN)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def generate(
    *,
    scale: HoursScale = HoursScale(),
    seed: int = 2026,
    log: Log = print,
    defer_indexes: bool | None = None,
) -> Result:
    """Write the hours ledger; return its rows and the seconds of each step."""
    from ataa.hours.models import HourEntry

    if defer_indexes is None:
        defer_indexes = scale.entries >= 200_000
    result = Result()
    zone = ZoneInfo(settings.TIME_ZONE)
    anchor = dt.datetime.combine(dt.datetime.now(zone).date(), dt.time(), tzinfo=zone)
    started_all = time.monotonic()
    users = volunteer_ids()
    opportunities = _load_opportunities()
    if not users or not opportunities.ids:
        raise RuntimeError("the hours ledger needs bench/volunteering_data.py's data first")
    rng = random.Random(f"{seed}-hours")
    random_ = rng.random
    counts = _entry_counts(rng, len(users), scale.entries)

    # Who works which day: one bucket of volunteers (positions) per day, so the rows can be
    # written in time order; each volunteer on different days (at most one entry a day).
    buckets = [array("i") for _ in range(DAYS)]
    days = range(DAYS)
    for volunteer, count in enumerate(counts):
        for day in rng.sample(days, count) if count else ():
            buckets[day].append(volunteer)
    # Each volunteer's two opportunities (most of their hours at the first).
    n_opportunities = len(opportunities.ids)
    main = array("i", (int(random_() ** 1.5 * n_opportunities) for _ in users))
    other = array("i", (int(random_() * n_opportunities) for _ in users))
    log(f"  hour entries planned in {time.monotonic() - started_all:.1f} s")

    columns = ["id", "volunteer_id", "organization_id", "opportunity_id", "source", "starts_at",
               "ends_at", "minutes", "description", "created_by_id", "created_at", "status",
               "decided_by_id", "decided_at"]  # fmt: skip
    next_pk = bulk.next_id(HourEntry)
    first_pk = next_pk
    started = time.monotonic()
    with transaction.atomic():
        if bulk.is_postgres():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit = off")
        with bulk.deferred_indexes([HourEntry], log, enabled=defer_indexes):
            with bulk.TableWriter(HourEntry, columns) as table:
                write = table.write
                minute = dt.timedelta(minutes=1)
                for day_index in range(DAYS):
                    age_days = DAYS - day_index  # the last bucket is yesterday
                    base = anchor - dt.timedelta(days=age_days)
                    # Status weights: two weeks' entries are often still waiting.
                    pending_share = 0.45 if age_days <= 14 else 0.02
                    for volunteer in buckets[day_index]:
                        position = main[volunteer] if random_() < 0.7 else other[volunteer]
                        mode = opportunities.modes[position]
                        remote = mode == 1 or (mode == 2 and random_() < 0.5)
                        begin = (8 + int(random_() * 12)) * 60 + (30 if random_() < 0.5 else 0)
                        minutes = 30 * (2 + int(random_() * 11))  # 1 to 6 hours
                        starts = base + begin * minute
                        ends = starts + minutes * minute
                        user_id = users[volunteer]
                        if remote:
                            created = min(ends + int(10 + random_() * 3000) * minute, anchor)
                            description = REMOTE_WORK[int(random_() * len(REMOTE_WORK))]
                        else:
                            created, description = ends, ""
                        roll = random_()
                        if roll < pending_share:
                            status, decided_by, decided_at = "pending", None, None
                        else:
                            status = "rejected" if roll > 0.95 else "approved"
                            decided_by = opportunities.managers[position]
                            decided_at = min(created + int(20 + random_() * 4000) * minute, anchor)
                        write(
                            (next_pk, user_id, opportunities.organizations[position],
                             opportunities.ids[position], "remote" if remote else "attendance",
                             starts, ends, minutes, description, user_id, created, status,
                             decided_by, decided_at)
                        )  # fmt: skip
                        next_pk += 1
            result.timed("hour entries", started, table.rows, log)
            index_started = time.monotonic()
        if defer_indexes and bulk.is_postgres():
            result.seconds["hour entry indexes"] = round(time.monotonic() - index_started, 1)
        bulk.set_sequence(HourEntry)
    result.counts["first id"] = first_pk
    started = time.monotonic()
    if bulk.is_postgres() and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute(f'VACUUM (ANALYZE) "{HourEntry._meta.db_table}"')
    elif not connection.in_atomic_block or not bulk.is_postgres():
        with connection.cursor() as cursor:
            cursor.execute(f'ANALYZE "{HourEntry._meta.db_table}"')
    result.seconds["vacuum analyze"] = round(time.monotonic() - started, 1)
    log(f"  VACUUM ANALYZE in {time.monotonic() - started:.1f} s")
    result.seconds["total"] = round(time.monotonic() - started_all, 1)
    return result


def remove(first_id: int, log: Log = print) -> int:
    """Remove the entries an earlier generation wrote (ids from `first_id`), to write them again:
    the append-only trigger is disabled for this DELETE only, in its transaction."""
    from ataa.hours.models import HourEntry

    table = HourEntry._meta.db_table
    started = time.monotonic()
    with transaction.atomic(), connection.cursor() as cursor:
        if bulk.is_postgres():
            cursor.execute(f'ALTER TABLE "{table}" DISABLE TRIGGER hourentry_append_only')
        cursor.execute(f'DELETE FROM "{table}" WHERE id >= %s', [first_id])
        removed = cursor.rowcount
        if bulk.is_postgres():
            cursor.execute(f'ALTER TABLE "{table}" ENABLE TRIGGER hourentry_append_only')
    if bulk.is_postgres() and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute(f'VACUUM "{table}"')
    log(f"  removed {removed:,} earlier hour entries in {time.monotonic() - started:.1f} s")
    return removed


# --- The measurement of the target --------------------------------------------------------


@dataclass(frozen=True)
class TotalsTiming:
    volunteers: int
    durations_ms: list[float]  # sorted
    sql: str  # the statement volunteer_totals runs (for the first volunteer)
    floor_ms: list[float]  # the same statements, executed directly on the driver's cursor
    plan: str  # EXPLAIN (ANALYZE, BUFFERS) of the statement, for one volunteer
    entries_per_volunteer: float

    def p(self, percent: float, floor: bool = False) -> float:
        values = self.floor_ms if floor else self.durations_ms
        return values[min(len(values) - 1, round(percent / 100 * (len(values) - 1)))]


def sample_volunteers(count: int, seed: int) -> list[int]:
    """`count` volunteers drawn at random among those with entries in the ledger."""
    from ataa.hours.models import HourEntry

    candidates = volunteer_ids()
    rng = random.Random(f"{seed}-totals")
    drawn = rng.sample(candidates, min(len(candidates), count * 2))
    with_entries = set(
        HourEntry.objects.filter(volunteer_id__in=drawn)
        .values_list("volunteer_id", flat=True)
        .distinct()
    )
    return [pk for pk in drawn if pk in with_entries][:count]


def time_volunteer_totals(*, count: int = 2000, seed: int = 2026, warmup: int = 200):
    """Time `volunteer_totals` for `count` different volunteers one after another, in-process,
    after `warmup` calls for other volunteers; then the bare SQL of the same calls."""
    from django.db.models import Count
    from django.test.utils import CaptureQueriesContext

    from ataa.hours.models import HourEntry
    from ataa.hours.selectors import volunteer_totals

    volunteers = sample_volunteers(count + warmup, seed)
    warm, timed = volunteers[:warmup], volunteers[warmup:]
    if not timed:
        raise RuntimeError("no volunteer with hour entries to time")
    connection.ensure_connection()
    for pk in warm:
        volunteer_totals(volunteer=pk)
    durations = []
    clock = time.perf_counter
    for pk in timed:
        started = clock()
        volunteer_totals(volunteer=pk)
        durations.append((clock() - started) * 1000)
    statements = []
    for pk in timed:
        with CaptureQueriesContext(connection) as context:
            volunteer_totals(volunteer=pk)
        statements.append([query["sql"] for query in context.captured_queries])
    cursor = connection.connection.cursor()  # the driver's own
    floor = []
    for sqls in statements:
        started = clock()
        for sql in sqls:
            cursor.execute(sql)
            cursor.fetchall()
        floor.append((clock() - started) * 1000)
    plan = ""
    if connection.vendor == "postgresql":
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statements[0][-1])
        plan = "\n".join(row[0] for row in cursor.fetchall())
    cursor.close()
    entries = HourEntry.objects.filter(volunteer_id__in=timed).aggregate(n=Count("pk"))["n"]
    return TotalsTiming(
        volunteers=len(timed),
        durations_ms=sorted(durations),
        sql=statements[0][-1],
        floor_ms=sorted(floor),
        plan=plan,
        entries_per_volunteer=entries / len(timed),
    )
