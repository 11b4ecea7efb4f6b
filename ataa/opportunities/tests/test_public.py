"""The public list and detail pages, their search, filters and visibility rules."""

import datetime as dt
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ataa.core.models import City
from ataa.opportunities import services
from ataa.opportunities.selectors import OpportunityFilters, public_opportunity_list
from ataa.opportunities.tests.conftest import START
from ataa.volunteers.models import Skill

pytestmark = pytest.mark.django_db


def found(**filters) -> set[str]:
    return set(
        public_opportunity_list(OpportunityFilters(**filters)).values_list("title_en", flat=True)
    )


@pytest.mark.parametrize(
    ("stored", "query"),
    [
        ("زيارة دار خيرية للأيتام", "خيريه"),  # ة / ه
        ("تطوع في مستشفى الملك فهد", "مستشفي"),  # ى / ي
        ("تطوع في مستشفي الملك فهد", "مستشفى"),
        ("إسعاف أولي", "اسعاف"),  # hamza below
        ("اسعاف أولي", "إسعاف"),
        ("مُتَطَوِّعُونَ لِلْقِرَاءَةِ", "متطوعون"),  # diacritics in the text
        ("متطوعون للقراءة", "مُتَطَوِّعُونَ"),  # diacritics in the query
        ("تطـــوع رمضان", "تطوع"),  # tatweel
        ("تطوع رمضان", "تطـــوع"),
        ("Beach CLEAN-UP", "clean up"),
    ],
)
def test_search_ignores_arabic_spelling_variants(make_opportunity, stored, query):
    make_opportunity(title_ar=stored, title_en="match", description_ar="", description_en="")
    make_opportunity(title_ar="عنوان آخر", title_en="other", description_ar="", description_en="")
    assert found(q=query) == {"match"}


def test_jamiyya_spelt_with_haa_finds_taa_marbuta(make_opportunity, coordinator):
    from conftest import add_member, make_organization

    team = make_organization("فريق سواعد الخير", "Sawaed team", "Manama")
    add_member(coordinator, team, "coordinator")
    make_opportunity(org=team, title_ar="يوم مفتوح في جمعية الأيتام", title_en="match")
    make_opportunity(org=team, title_ar="يوم مفتوح", title_en="other", description_ar="")
    assert found(q="جمعيه") == {"match"}
    assert found(q="الايتام") == {"match"}


def test_every_word_of_the_query_must_match(make_opportunity):
    make_opportunity(title_ar="توزيع وجبات", title_en="meals")
    make_opportunity(title_ar="توزيع ملابس", title_en="clothes")
    assert found(q="توزيع وجبات") == {"meals"}
    assert found(q="توزيع") == {"meals", "clothes"}
    assert found(q="   ") == {"meals", "clothes"}


def test_search_finds_the_organization_and_city_names(make_opportunity, other_organization):
    make_opportunity(title_ar="أ", title_en="in jeddah")
    assert found(q="جمعيه البر") == {"in jeddah"}
    assert found(q="جده") == {"in jeddah"}


def test_filters(make_opportunity):
    first_aid = Skill.objects.get(code="first-aid")
    make_opportunity(title_en="riyadh", city=City.objects.get(code="riyadh"), district=None)
    make_opportunity(title_en="remote", work_mode="remote", city=None, district=None)
    make_opportunity(title_en="women", gender_eligibility="women", is_emergency=True)
    make_opportunity(title_en="men", gender_eligibility="men", suitable_for_disabilities=True)
    make_opportunity(
        title_en="later",
        starts_on=START + dt.timedelta(days=100),
        ends_on=START + dt.timedelta(days=110),
        required_skills=[first_aid],
    )
    assert found(city="riyadh") == {"riyadh"}
    assert found(work_mode="remote") == {"remote"}
    assert found(gender="women") == {"riyadh", "remote", "women", "later"}
    assert found(emergency=True) == {"women"}
    assert found(suitable_for_disabilities=True) == {"men"}
    assert found(skills=("first-aid",)) == {"later"}
    assert found(date_from=START + dt.timedelta(days=90)) == {"later"}
    assert "later" not in found(date_to=START + dt.timedelta(days=50))
    assert found(city="no-such-city") == set()


def test_sorting(make_opportunity):
    make_opportunity(title_en="soon", starts_on=START, is_emergency=False)
    make_opportunity(
        title_en="late",
        starts_on=START + dt.timedelta(days=5),
        ends_on=START + dt.timedelta(days=9),
        is_emergency=True,
    )

    def titles(sort):
        return [o.title_en for o in public_opportunity_list(OpportunityFilters(sort=sort))]

    assert titles("newest") == ["late", "soon"]
    assert titles("soonest") == ["soon", "late"]
    assert titles("emergency") == ["late", "soon"]


def test_list_shows_only_published_public_opportunities(make_opportunity, coordinator):
    make_opportunity(title_en="public")
    make_opportunity(title_en="draft", publish=False)
    make_opportunity(title_en="unlisted", visibility="unlisted")
    make_opportunity(title_en="members", visibility="members")
    closed = make_opportunity(title_en="closed")
    services.opportunity_close(opportunity=closed, actor=coordinator)
    assert found() == {"public"}


def test_public_list_page_with_search_and_filters(client, make_opportunity):
    make_opportunity(title_ar="زيارة مستشفى الولادة", title_en="Hospital visit")
    make_opportunity(title_ar="تنظيف الشاطئ", title_en="Beach clean-up", is_emergency=True)
    response = client.get("/opportunities/", {"q": "مستشفي"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "زيارة مستشفى الولادة" in content
    assert "تنظيف الشاطئ" not in content
    assert '<label for="id_q">' in content
    response = client.get("/opportunities/", {"emergency": "on"})
    assert "تنظيف الشاطئ" in response.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"city": "atlantis"},
        {"date_from": "not-a-date"},
        {"skills": ["nope", "first-aid"]},
        {"sort": "sideways"},
        {"work_mode": "teleport"},
        {"page": "x"},
        {"page": "99999"},
        {"q": "x" * 500},
        {"gender": "other"},
    ],
)
def test_invalid_filter_values_are_shown_and_ignored(client, published, params):
    response = client.get("/opportunities/", params)
    assert response.status_code == 200
    assert published.title_ar in response.content.decode()


def queries_of(client, url, **params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries), response


def test_the_list_page_query_count_does_not_grow_with_the_rows(client, make_opportunity):
    for _ in range(2):
        make_opportunity()
    small, _response = queries_of(client, "/opportunities/", q="رمضان")
    for _ in range(18):
        make_opportunity()
    large, response = queries_of(client, "/opportunities/", q="رمضان", city="jeddah")
    assert response.content.decode().count('class="card opportunity-card"') == 20
    # The page's ids with the total, then its rows: the filter form's cities, fields and
    # skills come from memory, read once per process (the first request read them).
    assert large == 2
    assert small <= 2 + 3


def test_the_filter_lists_are_read_once_and_follow_an_edit(client):
    first, _response = queries_of(client, "/opportunities/")
    second, _response = queries_of(client, "/opportunities/")
    assert second == first - 3
    City.objects.create(code="al-ula", name_ar="العلا", name_en="AlUla", country="SA")
    page = client.get("/opportunities/").content.decode()
    assert '<option value="al-ula">العلا</option>' in page


# --- Detail ---------------------------------------------------------------------------------


def ld_json(content: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', content, re.S)
    assert match, "no JSON-LD on the page"
    return json.loads(match.group(1))


def test_detail_has_job_posting_json_ld_and_open_graph(client, published):
    response = client.get(f"/opportunities/{published.pk}/")
    assert response.status_code == 200
    content = response.content.decode()
    data = ld_json(content)
    assert data["@type"] == "JobPosting"
    assert data["employmentType"] == "VOLUNTEER"
    assert data["title"] == published.title_ar
    assert data["hiringOrganization"]["name"] == published.organization.name_ar
    assert data["validThrough"] == published.ends_on.isoformat()
    assert data["datePosted"]
    assert data["jobLocation"]["address"]["addressLocality"] == "جدة"
    for prop in ("og:title", "og:description", "og:type", "og:url"):
        assert f'property="{prop}"' in content
    assert f"/opportunities/{published.pk}/" in content


def test_remote_detail_says_telecommute(client, make_opportunity):
    remote = make_opportunity(work_mode="remote", city=None, district=None)
    data = ld_json(client.get(f"/opportunities/{remote.pk}/").content.decode())
    assert data["jobLocationType"] == "TELECOMMUTE"
    assert "jobLocation" not in data


def test_json_ld_cannot_be_broken_out_of(client, make_opportunity):
    opportunity = make_opportunity(title_ar="</script><script>alert(1)</script>")
    content = client.get(f"/opportunities/{opportunity.pk}/").content.decode()
    assert "<script>alert(1)" not in content
    assert ld_json(content)["title"] == "</script><script>alert(1)</script>"


def test_exact_address_is_not_on_the_public_page(client, published):
    for url in (f"/opportunities/{published.pk}/", "/opportunities/"):
        assert "SECRET-ADDRESS" not in client.get(url).content.decode()


def test_visibility_rules(client, make_opportunity, coordinator, outsider):
    draft = make_opportunity(publish=False)
    members = make_opportunity(visibility="members")
    unlisted = make_opportunity(visibility="unlisted")
    for opportunity in (draft, members, unlisted):
        assert client.get(f"/opportunities/{opportunity.pk}/").status_code == 404
    assert client.get(f"/opportunities/{unlisted.pk}/", {"key": "wrong"}).status_code == 404
    assert (
        client.get(f"/opportunities/{unlisted.pk}/", {"key": unlisted.share_token}).status_code
        == 200
    )
    assert client.get(f"/opportunities/{draft.pk}/", {"key": draft.share_token}).status_code == 404
    client.force_login(outsider)
    assert client.get(f"/opportunities/{members.pk}/").status_code == 404
    client.force_login(coordinator)
    assert client.get(f"/opportunities/{members.pk}/").status_code == 200
    assert client.get(f"/opportunities/{draft.pk}/").status_code == 404
    assert client.get("/opportunities/999999/").status_code == 404
