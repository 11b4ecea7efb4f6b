"""The requests of the volunteering scenarios, drawn from the benchmark database.

- `search_requests`: the public search with two filters (city and field of volunteering) and an
  Arabic word of a real opportunity's title, spelt differently (without hamza, ه for ة, ي for ى
  …): the search must fold the spelling to find it. Thousands of different queries, drawn where
  the opportunities are (big cities more often), so no single cached answer can explain a result.
- `detail_requests`: the public pages of thousands of published opportunities.
- `apply_requests`: one new application per request: many different volunteers (each with their
  own personal access token) to many different open opportunities they fit and have not applied
  to (to a coming shift where the opportunity has shifts). Every request is meant to succeed
  (201); a refusal counts as an error in the results.

Needs a configured Django (bench/run.py sets it up). Deterministic for a seed and a data set.
"""

from __future__ import annotations

import json
import random
import re
from urllib.parse import urlencode

from django.db import connection

from bench.loadgen import Request

# Spellings people type for the same letters: each is folded by ataa.core.text.normalize_arabic.
VARIANTS = [("أ", "ا"), ("إ", "ا"), ("آ", "ا"), ("ة", "ه"), ("ى", "ي"), ("ئ", "ي")]
STOP_WORDS = {"في", "مع", "على", "إلى", "من", "عن", "حي", "بمدينة", "الى"}
ARABIC_WORD = re.compile(r"^[\u0621-\u064A]{4,}$")


def spelling_variant(word: str, rng: random.Random) -> str:
    """The word as someone might type it: one folded letter spelt the other way, or with a
    tatweel or a diacritic when it has none of those letters."""
    options = [(a, b) for a, b in VARIANTS if a in word]
    if options:
        a, b = rng.choice(options)
        return word.replace(a, b)
    reverse = [(b, a) for a, b in VARIANTS[3:] if b in word[-1:]]  # ه -> ة, ي -> ى at the end
    if reverse:
        b, a = reverse[0]
        return word[:-1] + a
    middle = len(word) // 2
    return word[:middle] + "ـ" + word[middle:]  # tatweel, as in تطـوع


def _public_opportunities(where: str = "", params=(), *, limit: int, seed: int) -> list[tuple]:
    """Published, public opportunities of active organizations, in a seeded random order."""
    sql = f"""
        SELECT o.id, o.title_ar, c.code, f.code
        FROM opportunities_opportunity o
        JOIN organizations_organization org ON org.id = o.organization_id
        LEFT JOIN core_city c ON c.id = o.city_id
        LEFT JOIN volunteers_volunteeringfield f ON f.id = o.field_id
        WHERE o.status = 'published' AND o.visibility = 'public' AND org.status = 'active'
        {where}
        ORDER BY md5(o.id::text || %s)
        LIMIT %s
    """
    if connection.vendor != "postgresql":
        sql = sql.replace("md5(o.id::text || %s)", "(o.id * 7919 + %s) % 100003")
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, str(seed) if connection.vendor == "postgresql" else seed,
                             limit])  # fmt: skip
        return cursor.fetchall()


def search_queries(count: int, *, seed: int = 2026) -> list[dict[str, str]]:
    """`count` searches (city, field, q) for real opportunities, each word spelt differently."""
    rng = random.Random(f"{seed}-search")
    rows = _public_opportunities(
        "AND o.city_id IS NOT NULL AND o.field_id IS NOT NULL", limit=count, seed=seed
    )
    queries = []
    for _pk, title, city, field in rows:
        words = [w for w in title.split() if ARABIC_WORD.match(w) and w not in STOP_WORDS]
        if not words:
            continue
        queries.append(
            {"city": city, "field": field, "q": spelling_variant(rng.choice(words), rng)}
        )
    return queries


def search_requests(count: int, *, api: bool, seed: int = 2026) -> list[Request]:
    base = "/api/v1/opportunities" if api else "/opportunities/"
    return [
        Request("GET", f"{base}?{urlencode(query)}") for query in search_queries(count, seed=seed)
    ]


def detail_requests(count: int, *, api: bool, seed: int = 2026) -> list[Request]:
    rows = _public_opportunities(limit=count, seed=seed + 1)
    if api:
        return [Request("GET", f"/api/v1/opportunities/{pk}") for pk, *_rest in rows]
    return [Request("GET", f"/opportunities/{pk}/") for pk, *_rest in rows]


# --- Applying ------------------------------------------------------------------------------------

APPLY_TOKEN_NAME = "benchmark apply"


def _apply_volunteers(count: int, *, seed: int) -> list[int]:
    """Adult volunteers (20–55 today) of the synthetic data, one person per group (party of one),
    in a seeded random order."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT u.id FROM accounts_user u
            JOIN volunteers_volunteerprofile p ON p.user_id = u.id
            WHERE u.email LIKE %s AND u.is_active AND NOT p.is_group
              AND p.date_of_birth BETWEEN CURRENT_DATE - INTERVAL '55 years'
                                      AND CURRENT_DATE - INTERVAL '20 years'
            ORDER BY md5(u.id::text || %s)
            LIMIT %s
            """,
            ["v%@bench.ataa.test", str(seed), count],
        )
        return [row[0] for row in cursor.fetchall()]


def _apply_opportunities(count: int, *, seed: int) -> list[tuple[int, int | None]]:
    """Open opportunities anyone adult may apply to (public, published, no required skills or
    qualifications, no questions, open to everyone aged 18 to 60), with a coming shift's id
    where the opportunity has shifts; in a seeded random order."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT o.id,
                   (SELECT s.id FROM opportunities_shift s WHERE s.opportunity_id = o.id
                      AND s.starts_at > now() ORDER BY s.starts_at, s.id LIMIT 1) AS shift_id,
                   EXISTS (SELECT 1 FROM opportunities_shift s WHERE s.opportunity_id = o.id)
            FROM opportunities_opportunity o
            JOIN organizations_organization org ON org.id = o.organization_id
            WHERE o.status = 'published' AND o.visibility = 'public' AND org.status = 'active'
              AND o.gender_eligibility = 'everyone'
              AND (o.age_min IS NULL OR o.age_min <= 18) AND o.age_max IS NULL
              AND o.starts_on > CURRENT_DATE
              AND NOT EXISTS (SELECT 1 FROM opportunities_opportunity_required_skills r
                              WHERE r.opportunity_id = o.id)
              AND NOT EXISTS (SELECT 1 FROM opportunities_opportunity_required_qualifications q
                              WHERE q.opportunity_id = o.id)
              AND NOT EXISTS (SELECT 1 FROM opportunities_applicationquestion a
                              WHERE a.opportunity_id = o.id)
            ORDER BY md5(o.id::text || %s)
            LIMIT %s
            """,
            [str(seed), count],
        )
        rows = cursor.fetchall()
    # An opportunity with shifts but none to come cannot be applied to without a past shift:
    # leave it out.
    return [(pk, shift_id) for pk, shift_id, has_shifts in rows if shift_id or not has_shifts]


def apply_requests(
    count: int, *, volunteers: int = 1000, opportunities: int = 5000, seed: int = 2026
) -> list[Request]:
    """`count` applications, each a new one: (volunteer, opportunity) pairs that do not exist yet,
    each volunteer sending with their own token (made here, named APPLY_TOKEN_NAME)."""
    from ataa.accounts.models import User
    from ataa.accounts.services import token_create
    from ataa.opportunities.models import Application

    rng = random.Random(f"{seed}-apply")
    people = _apply_volunteers(volunteers, seed=seed)
    places = _apply_opportunities(opportunities, seed=seed)
    if not people or not places:
        raise RuntimeError("no volunteer or no open opportunity to apply to in the bench data")
    applied = set(
        Application.objects.filter(volunteer_id__in=people).values_list(
            "volunteer_id", "opportunity_id"
        )
    )
    tokens = {}
    for user in User.objects.filter(pk__in=people):
        _token, raw = token_create(user=user, name=APPLY_TOKEN_NAME, expires_in_days=1)
        tokens[user.pk] = raw
    requests, seen = [], set()
    attempts = 0
    while len(requests) < count and attempts < count * 20:
        attempts += 1
        person = people[len(requests) % len(people)]
        opportunity, shift = places[rng.randrange(len(places))]
        if (person, opportunity) in applied or (person, opportunity) in seen:
            continue
        seen.add((person, opportunity))
        body = json.dumps({"shift_id": shift, "answers": {}}, separators=(",", ":"))
        requests.append(
            Request(
                "POST",
                f"/api/v1/opportunities/{opportunity}/applications",
                body=body,
                headers={
                    "Authorization": f"Bearer {tokens[person]}",
                    "Content-Type": "application/json",
                },
            )
        )
    rng.shuffle(requests)
    return requests


def check_apply_requests(requests: list[Request], sample: int = 20) -> list[str]:
    """The hard-rule problems (eligibility_problems) of the first `sample` planned applications:
    [] when each would be accepted by the service."""
    from ataa.accounts.services import token_authenticate
    from ataa.opportunities.applications import eligibility_problems
    from ataa.opportunities.models import Opportunity, Shift
    from ataa.volunteers.models import VolunteerProfile

    problems = []
    for item in requests[:sample]:
        user = token_authenticate(item.headers["Authorization"].removeprefix("Bearer "))
        opportunity = Opportunity.objects.get(pk=int(item.path.split("/")[4]))
        shift_id = json.loads(item.body)["shift_id"]
        shift = Shift.objects.get(pk=shift_id) if shift_id else None
        profile = VolunteerProfile.objects.get(user=user)
        for code, _reason in eligibility_problems(
            profile=profile, opportunity=opportunity, shift=shift
        ):
            problems.append(f"{item.path}: {code}")
    return problems
