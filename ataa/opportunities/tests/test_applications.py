"""Applications: eligibility refusals that change nothing, decisions, places, the waitlist, and
no overbooking when two coordinators accept the last place at the same moment (PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from django.utils import timezone, translation

from ataa.core.errors import ServiceError
from ataa.core.models import AuditEvent, OutboxMessage
from ataa.core.tasks import claim, run_claimed
from ataa.notifications.models import Delivery
from ataa.opportunities import applications as application_services
from ataa.opportunities import services
from ataa.opportunities.models import Application, ApplicationQuestion
from ataa.volunteers.models import QualificationKind, Skill, VolunteerProfile
from ataa.volunteers.services import qualification_add, qualification_verify
from conftest import table_state

pytestmark = pytest.mark.django_db

A = Application.Status


def snapshot():
    return table_state(Application, AuditEvent, OutboxMessage)


def refused(code, **kwargs):
    """Submit, expect the refusal `code`, and check that nothing was written."""
    before = snapshot()
    with pytest.raises(ServiceError) as error:
        services.application_submit(**kwargs)
    assert error.value.code == code, error.value.message
    assert str(error.value.message)
    assert snapshot() == before
    return error.value


def apply(volunteer, opportunity, shift=None, answers=None):
    return services.application_submit(
        volunteer=volunteer, opportunity=opportunity, shift=shift, answers=answers or {}
    )


# --- Submitting, and every refusal ------------------------------------------------------------


def test_apply_writes_one_pending_application_an_audit_event_and_an_email_task(volunteer, soon):
    application = apply(volunteer, soon)
    assert application.status == A.PENDING and application.party_size == 1
    event = AuditEvent.objects.get(verb="application.submitted")
    assert event.payload == {"opportunity_id": soon.pk, "shift_id": None, "party_size": 1}
    # The volunteer is told by the channels they chose (email by default), once.
    delivery = Delivery.objects.get(kind="application.received")
    assert (delivery.object_id, delivery.recipient_id, delivery.channel) == (
        application.pk,
        volunteer.pk,
        "email",
    )
    task = OutboxMessage.objects.get(task_name="notifications.send_delivery")
    assert task.kwargs == {"delivery_id": delivery.pk}


def test_no_profile(stranger, soon):
    refused("profile_required", volunteer=stranger, opportunity=soon, answers={})


def test_unpublished_and_closed_opportunities(volunteer, draft, soon, coordinator):
    refused("not_open", volunteer=volunteer, opportunity=draft, answers={})
    services.opportunity_close(opportunity=soon, actor=coordinator)
    refused("not_open", volunteer=volunteer, opportunity=soon, answers={})


def test_members_only_opportunity_is_not_open_to_others(volunteer, make_opportunity):
    members = make_opportunity(visibility="members")
    refused("not_open", volunteer=volunteer, opportunity=members, answers={})


def test_duplicate_application(volunteer, soon):
    apply(volunteer, soon)
    refused("already_applied", volunteer=volunteer, opportunity=soon, answers={})


def test_withdrawn_application_can_be_made_again(volunteer, soon):
    first = apply(volunteer, soon)
    services.application_withdraw(application=first, volunteer=volunteer)
    assert apply(volunteer, soon).status == A.PENDING


@pytest.mark.parametrize(
    ("rule", "profile", "code", "words"),
    [
        ({"age_min": 40}, {}, "too_young", "40"),
        ({"age_max": 20}, {}, "too_old", "20"),
        ({"gender_eligibility": "men"}, {}, "gender_not_eligible", "men"),
        ({"gender_eligibility": "women"}, {"gender": "male"}, "gender_not_eligible", "women"),
    ],
)
def test_hard_rules(make_opportunity, make_volunteer, rule, profile, code, words):
    start = timezone.localdate() + dt.timedelta(days=30)
    opportunity = make_opportunity(starts_on=start, ends_on=start, **rule)
    volunteer = make_volunteer("someone", **profile)
    with translation.override("en"):  # the reason names the rule; read it in English
        error = refused(code, volunteer=volunteer, opportunity=opportunity, answers={})
        assert words in str(error.message)
    assert error.fields["__all__"]


def test_age_is_taken_on_the_start_date(make_opportunity, make_volunteer):
    start = timezone.localdate() + dt.timedelta(days=30)
    opportunity = make_opportunity(starts_on=start, ends_on=start, age_min=18)
    # 18 on the start date, 17 today: old enough, and no guardian needed on that day.
    turns_18 = start - dt.timedelta(days=5)
    born = turns_18.replace(year=turns_18.year - 18)
    volunteer = make_volunteer(
        "young",
        date_of_birth=born,
        guardian_name="ولي الأمر",
        guardian_phone="+966550009999",
        guardian_consent=True,
    )
    assert apply(volunteer, opportunity).status == A.PENDING


def test_missing_skills_are_named(make_opportunity, volunteer):
    skill = Skill.objects.get(code="first-aid")
    opportunity = make_opportunity(required_skills=[skill])
    error = refused("skills_missing", volunteer=volunteer, opportunity=opportunity, answers={})
    assert skill.name_en in str(error.message) or skill.name_ar in str(error.message)


def test_all_required_skills_are_needed(make_opportunity, make_volunteer):
    first_aid, tutoring = Skill.objects.get(code="first-aid"), Skill.objects.get(code="tutoring")
    opportunity = make_opportunity(required_skills=[first_aid, tutoring])
    partial = make_volunteer("partial", skills=[first_aid])
    refused("skills_missing", volunteer=partial, opportunity=opportunity, answers={})
    both = make_volunteer("both", skills=[first_aid, tutoring])
    assert apply(both, opportunity).status == A.PENDING


@pytest.fixture
def needs_first_aid(make_opportunity):
    start = timezone.localdate() + dt.timedelta(days=60)
    kind = QualificationKind.objects.get(code="first-aid-certificate")
    return make_opportunity(starts_on=start, ends_on=start, required_qualifications=[kind]), kind


def _valid(opportunity):
    """An expiry date well after the opportunity."""
    return opportunity.ends_on + dt.timedelta(days=365)


def _proof():
    return SimpleUploadedFile("proof.pdf", b"%PDF-1.4\n%%EOF\n")


def test_qualification_missing_or_expired_is_refused_then_valid_applies(
    needs_first_aid, volunteer, coordinator, organization
):
    opportunity, kind = needs_first_aid
    refused("qualification_missing", volunteer=volunteer, opportunity=opportunity, answers={})
    valid_until = opportunity.starts_on + dt.timedelta(days=365)
    expiring = timezone.localdate() + dt.timedelta(days=10)  # before the start date
    qualification = qualification_add(
        user=volunteer, kind=kind, proof=_proof(), expires_on=expiring
    )
    qualification_verify(
        qualification=qualification, verified_by=coordinator, organization=organization
    )
    refused("qualification_expired", volunteer=volunteer, opportunity=opportunity, answers={})
    fresh = qualification_add(user=volunteer, kind=kind, proof=_proof(), expires_on=valid_until)
    qualification_verify(qualification=fresh, verified_by=coordinator, organization=organization)
    assert apply(volunteer, opportunity).status == A.PENDING


def test_an_unverified_proof_lets_the_volunteer_apply_and_waits_for_verification(
    needs_first_aid, volunteer, coordinator, organization
):
    """The organization sees only its applicants' proofs, so the application comes first; the
    volunteer is accepted once a coordinator has verified the proof."""
    from ataa.opportunities.qualification_review import applicant_qualification_list

    opportunity, kind = needs_first_aid
    qualification = qualification_add(
        user=volunteer, kind=kind, proof=_proof(), expires_on=_valid(opportunity)
    )
    application = apply(volunteer, opportunity)
    assert application.status == A.PENDING
    assert qualification in applicant_qualification_list(organization=organization)

    before = snapshot()
    with pytest.raises(ServiceError) as error:
        services.application_accept(application=application, decided_by=coordinator)
    assert error.value.code == "qualification_unverified"
    assert kind.name_en in str(error.value.message) or kind.name_ar in str(error.value.message)
    assert snapshot() == before

    qualification_verify(
        qualification=qualification, verified_by=coordinator, organization=organization
    )
    services.application_accept(application=application, decided_by=coordinator)
    application.refresh_from_db()
    assert application.status == A.ACCEPTED


def test_a_freed_place_skips_a_waitlisted_volunteer_whose_proof_waits(
    needs_first_aid, make_volunteer, coordinator, organization
):
    opportunity, kind = needs_first_aid
    opportunity.capacity = 1
    opportunity.save(update_fields=["capacity"])

    def verified_volunteer(name):
        user = make_volunteer(name)
        qualification = qualification_add(
            user=user, kind=kind, proof=_proof(), expires_on=_valid(opportunity)
        )
        qualification_verify(
            qualification=qualification, verified_by=coordinator, organization=organization
        )
        return user

    holder = apply(verified_volunteer("holder"), opportunity)
    services.application_accept(application=holder, decided_by=coordinator)
    unverified = make_volunteer("unverified")
    qualification_add(user=unverified, kind=kind, proof=_proof(), expires_on=_valid(opportunity))
    waiting = apply(unverified, opportunity)  # first in line, proof not verified yet
    ready = apply(verified_volunteer("ready"), opportunity)
    for application in (waiting, ready):
        services.application_waitlist(application=application, decided_by=coordinator)

    services.application_withdraw(application=holder, volunteer=holder.volunteer)

    waiting.refresh_from_db()
    ready.refresh_from_db()
    assert (waiting.status, ready.status) == (A.WAITLISTED, A.ACCEPTED)


def test_minor_without_guardian_consent(make_opportunity, make_volunteer):
    born = timezone.localdate().replace(year=timezone.localdate().year - 16)
    minor = make_volunteer(
        "minor",
        date_of_birth=born,
        guardian_name="ولي الأمر",
        guardian_phone="+966550009999",
        guardian_consent=True,
    )
    # The consent is gone (withdrawn by an admin, say): the minor cannot apply.
    VolunteerProfile.objects.filter(user=minor).update(guardian_consent_at=None)
    start = timezone.localdate() + dt.timedelta(days=20)
    opportunity = make_opportunity(starts_on=start, ends_on=start)
    refused("guardian_consent_required", volunteer=minor, opportunity=opportunity, answers={})


def test_several_failures_are_all_told(make_opportunity, make_volunteer):
    skill = Skill.objects.get(code="first-aid")
    opportunity = make_opportunity(gender_eligibility="men", age_min=60, required_skills=[skill])
    error = refused("too_young", volunteer=make_volunteer("x"), opportunity=opportunity, answers={})
    assert len(error.fields["__all__"]) == 3


def test_required_questions_must_be_answered(volunteer, soon):
    required = ApplicationQuestion.objects.create(opportunity=soon, text_ar="لماذا؟", required=True)
    optional = ApplicationQuestion.objects.create(
        opportunity=soon, text_ar="ملاحظات", required=False
    )
    error = refused(
        "answers_invalid", volunteer=volunteer, opportunity=soon, answers={str(required.pk): "  "}
    )
    assert f"answer_{required.pk}" in error.fields
    refused("invalid_input", volunteer=volunteer, opportunity=soon, answers={"999999": "x"})
    application = apply(volunteer, soon, answers={required.pk: " أحب العطاء ", optional.pk: ""})
    assert application.answers == {str(required.pk): "أحب العطاء"}


def test_shift_rules(volunteer, soon, make_shift, make_opportunity):
    shift = make_shift(soon)
    refused("shift_required", volunteer=volunteer, opportunity=soon, answers={})
    other = make_shift(make_opportunity())
    refused(
        "shift_not_in_opportunity", volunteer=volunteer, opportunity=soon, shift=other, answers={}
    )
    assert apply(volunteer, soon, shift).shift == shift
    refused("already_applied", volunteer=volunteer, opportunity=soon, shift=shift, answers={})
    # Another shift of the same opportunity is another application.
    second = make_shift(soon, hour=8)
    assert apply(volunteer, soon, second).status == A.PENDING


def test_a_full_or_past_shift_can_still_be_applied_to(
    volunteer, make_volunteer, make_opportunity, make_shift, coordinator
):
    past = make_opportunity()  # started in March 2026
    shift = make_shift(past, capacity=1)
    first = apply(make_volunteer("first"), past, shift)
    services.application_accept(application=first, decided_by=coordinator)
    assert apply(volunteer, past, shift).status == A.PENDING


# --- Deciding, places, the waitlist -----------------------------------------------------------


def test_accept_until_full_then_full_changes_nothing(soon, make_volunteer, coordinator):
    one, two, three = (apply(make_volunteer(name), soon) for name in ("a", "b", "c"))
    services.application_accept(application=one, decided_by=coordinator)
    services.application_accept(application=two, decided_by=coordinator)
    before = snapshot()
    with pytest.raises(ServiceError) as error:
        services.application_accept(application=three, decided_by=coordinator)
    assert error.value.code == "full"
    assert snapshot() == before
    three.refresh_from_db()
    assert three.status == A.PENDING


def test_only_managers_decide(soon, volunteer, case_worker, outsider):
    application = apply(volunteer, soon)
    for person in (case_worker, outsider, volunteer):
        with pytest.raises(ServiceError) as error:
            services.application_accept(application=application, decided_by=person)
        assert error.value.code == "forbidden"
    application.refresh_from_db()
    assert application.status == A.PENDING


def test_a_group_takes_party_size_places(soon, make_volunteer, coordinator):
    group = make_volunteer("group", is_group=True, party_size=3)
    application = apply(group, soon)
    assert application.party_size == 3
    with pytest.raises(ServiceError) as error:
        services.application_accept(application=application, decided_by=coordinator)
    assert error.value.code == "full"
    pair = apply(make_volunteer("pair", is_group=True, party_size=2), soon)
    services.application_accept(application=pair, decided_by=coordinator)
    single = apply(make_volunteer("single"), soon)
    with pytest.raises(ServiceError):
        services.application_accept(application=single, decided_by=coordinator)


def test_withdraw_frees_the_place_for_the_first_waitlisted(soon, make_volunteer, coordinator):
    accepted = [apply(make_volunteer(name), soon) for name in ("a", "b")]
    for application in accepted:
        services.application_accept(application=application, decided_by=coordinator)
    first, second = apply(make_volunteer("w1"), soon), apply(make_volunteer("w2"), soon)
    services.application_waitlist(application=first, decided_by=coordinator)
    services.application_waitlist(application=second, decided_by=coordinator)
    services.application_withdraw(application=accepted[0], volunteer=accepted[0].volunteer)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (A.ACCEPTED, A.WAITLISTED)
    event = AuditEvent.objects.get(verb="application.promoted")
    assert event.target_id == str(first.pk) and event.payload["to"] == "accepted"
    assert Delivery.objects.filter(kind="application.promoted", object_id=first.pk).exists()
    # A cancel by the organization frees a place too.
    services.application_cancel(
        application=accepted[1], decided_by=coordinator, reason="shift_called_off"
    )
    second.refresh_from_db()
    assert second.status == A.ACCEPTED


def test_a_freed_place_skips_a_group_that_does_not_fit(soon, make_volunteer, coordinator):
    a, b = apply(make_volunteer("a"), soon), apply(make_volunteer("b"), soon)
    services.application_accept(application=a, decided_by=coordinator)
    services.application_accept(application=b, decided_by=coordinator)
    group = apply(make_volunteer("g", is_group=True, party_size=2), soon)
    single = apply(make_volunteer("s"), soon)
    services.application_waitlist(application=group, decided_by=coordinator)
    services.application_waitlist(application=single, decided_by=coordinator)
    services.application_reject(application=a, decided_by=coordinator)
    group.refresh_from_db()
    single.refresh_from_db()
    assert (group.status, single.status) == (A.WAITLISTED, A.ACCEPTED)


def test_illegal_transitions(soon, volunteer, make_volunteer, coordinator):
    application = apply(volunteer, soon)
    services.application_reject(application=application, decided_by=coordinator)
    for service in (services.application_accept, services.application_waitlist):
        with pytest.raises(ServiceError) as error:
            service(application=application, decided_by=coordinator)
        assert error.value.code == "illegal_transition"
    with pytest.raises(ServiceError) as error:
        services.application_withdraw(application=application, volunteer=volunteer)
    assert error.value.code == "illegal_transition"
    other = apply(make_volunteer("other"), soon)
    with pytest.raises(ServiceError) as error:
        services.application_withdraw(application=other, volunteer=volunteer)
    assert error.value.code == "forbidden"


def test_no_show_only_after_the_start(
    soon, make_opportunity, make_shift, make_volunteer, coordinator
):
    future = apply(make_volunteer("f"), soon)
    services.application_accept(application=future, decided_by=coordinator)
    with pytest.raises(ServiceError) as error:
        services.application_mark_no_show(application=future, decided_by=coordinator)
    assert error.value.code == "not_started"
    past = make_opportunity()
    shift = make_shift(past)
    application = apply(make_volunteer("p"), past, shift)
    services.application_accept(application=application, decided_by=coordinator)
    services.application_mark_no_show(application=application, decided_by=coordinator)
    application.refresh_from_db()
    assert application.status == A.NO_SHOW


def test_shift_places_are_the_shifts(soon, make_shift, make_volunteer, coordinator):
    morning, evening = make_shift(soon, capacity=1, hour=8), make_shift(soon, capacity=1)
    a = apply(make_volunteer("a"), soon, morning)
    b = apply(make_volunteer("b"), soon, evening)
    c = apply(make_volunteer("c"), soon, morning)
    services.application_accept(application=a, decided_by=coordinator)
    services.application_accept(application=b, decided_by=coordinator)
    with pytest.raises(ServiceError) as error:
        services.application_accept(application=c, decided_by=coordinator)
    assert error.value.code == "full"


def test_bulk_accept_stops_at_capacity(soon, make_volunteer, coordinator):
    applications = [apply(make_volunteer(f"v{index}"), soon) for index in range(4)]
    accepted, refused_ = services.applications_bulk_accept(
        applications=applications, decided_by=coordinator
    )
    assert [a.pk for a in accepted] == [a.pk for a in applications[:2]]
    assert [(a.pk, e.code) for a, e in refused_] == [(a.pk, "full") for a in applications[2:]]
    assert Application.objects.filter(status=A.ACCEPTED).count() == 2
    assert AuditEvent.objects.filter(verb="application.accepted").count() == 2


def test_email_task_writes_in_the_volunteers_language(soon, volunteer, coordinator):
    volunteer.preferred_language = "en"
    volunteer.save(update_fields=["preferred_language"])
    application = apply(volunteer, soon)
    services.application_accept(application=application, decided_by=coordinator)
    while (message := claim()) is not None:
        assert run_claimed(message)
    subjects = [email.subject for email in mail.outbox]
    assert subjects == [
        "Your application to Ramadan food basket distribution is received",
        "You are accepted for Ramadan food basket distribution",
    ]
    assert mail.outbox[0].to == [volunteer.email]


# --- Concurrency: two coordinators, the last place, the same moment ----------------------------


@pytest.fixture
def places(db):
    """Jeddah and one of its districts. Migrations seed them, but a transactional test that ran
    before may have emptied the tables."""
    from ataa.core.models import City, District

    jeddah, _ = City.objects.get_or_create(
        code="jeddah", defaults={"name_ar": "جدة", "name_en": "Jeddah", "country": "SA"}
    )
    District.objects.get_or_create(
        city=jeddah, code="al-rawdah", defaults={"name_ar": "الروضة", "name_en": "Al-Rawdah"}
    )


@pytest.fixture
def last_place(places, make_opportunity, make_shift, make_volunteer, coordinator, org_admin):
    """A shift with 2 places, 1 taken, and two pending applications for the last one."""
    opportunity = make_opportunity()
    shift = make_shift(opportunity, capacity=2)
    taken = apply(make_volunteer("taken"), opportunity, shift)
    services.application_accept(application=taken, decided_by=coordinator)
    first = apply(make_volunteer("first"), opportunity, shift)
    second = apply(make_volunteer("second"), opportunity, shift)
    return shift, [(first, coordinator), (second, org_admin)]


def test_accepting_the_last_place_twice_in_a_row_is_refused_full(last_place):
    """The sequential case, on every database."""
    shift, contenders = last_place
    (first, by_first), (second, by_second) = contenders
    services.application_accept(application=first, decided_by=by_first)
    with pytest.raises(ServiceError) as error:
        services.application_accept(application=second, decided_by=by_second)
    assert error.value.code == "full"
    assert (
        application_services.places_taken(opportunity_id=shift.opportunity_id, shift_id=shift.pk)
        == 2
    )


postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serializes writers itself (one write transaction at a time); the race "
    "between two row locks only exists on PostgreSQL, where this test runs.",
)


def _accept_in_thread(application, decided_by, outcomes, barrier, ready=None):
    try:
        barrier.wait(timeout=30)
        try:
            services.application_accept(application=application, decided_by=decided_by)
            outcomes[application.pk] = "accepted"
        except ServiceError as error:
            outcomes[application.pk] = error.code
    except Exception as error:  # pragma: no cover - shown in the assertion message
        outcomes[application.pk] = repr(error)
    finally:
        connections.close_all()


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_simultaneous_accepts_never_overbook(last_place, make_volunteer, coordinator):
    """Two threads, each its own connection and transaction, released together by a barrier,
    each accepting a different application for the last place; five rounds."""
    shift, contenders = last_place
    for round_ in range(5):
        outcomes: dict[int, str] = {}
        barrier = threading.Barrier(len(contenders))
        threads = [
            threading.Thread(target=_accept_in_thread, args=(application, by, outcomes, barrier))
            for application, by in contenders
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert sorted(outcomes.values()) == ["accepted", "full"], (round_, outcomes)
        assert Application.objects.filter(shift=shift, status=A.ACCEPTED).count() == 2, (
            f"overbooked in round {round_}"
        )
        # Free the place again for the next round: reject the winner (no waitlist).
        winner = next(pk for pk, outcome in outcomes.items() if outcome == "accepted")
        services.application_reject(
            application=Application.objects.get(pk=winner), decided_by=coordinator
        )
        contenders = [
            (apply(make_volunteer(f"round{round_}-{index}"), shift.opportunity, shift), by)
            for index, (_application, by) in enumerate(contenders)
        ]


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_the_second_accept_waits_for_the_first_and_counts_after_it(last_place, monkeypatch):
    """Forces the worst interleaving: the first transaction has counted the free place and
    holds on before writing, while the second tries to accept. Without the lock on the shift
    the second would count the same free place (both accepted: overbooked). With it, the second
    waits on the shift's row until the first commits, then counts 2 of 2 and is refused."""
    shift, contenders = last_place
    (first, by_first), (second, by_second) = contenders
    counted_first, release_first, counted_second = (threading.Event() for _ in range(3))
    second_pid: list[int] = []
    original = application_services.places_taken

    def places_taken(**kwargs):
        taken = original(**kwargs)
        if threading.current_thread().name == "first":
            counted_first.set()
            release_first.wait(timeout=30)
        elif threading.current_thread().name == "second":
            counted_second.set()
        return taken

    monkeypatch.setattr(application_services, "places_taken", places_taken)
    outcomes: dict[int, str] = {}
    barrier = threading.Barrier(1)

    def run_second():
        counted_first.wait(timeout=30)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            second_pid.append(cursor.fetchone()[0])
        _accept_in_thread(second, by_second, outcomes, barrier)

    threads = [
        threading.Thread(
            name="first", target=_accept_in_thread, args=(first, by_first, outcomes, barrier)
        ),
        threading.Thread(name="second", target=run_second),
    ]
    for thread in threads:
        thread.start()
    assert counted_first.wait(timeout=30)
    # Let the first go on as soon as the second is either blocked on a lock, or (no lock) has
    # counted the same free place itself.
    deadline = timezone.now() + dt.timedelta(seconds=30)
    while timezone.now() < deadline and not counted_second.is_set():
        if second_pid and _waits_on_a_lock(second_pid[0]):
            break
        counted_second.wait(timeout=0.01)
    release_first.set()
    for thread in threads:
        thread.join(timeout=60)
    assert outcomes == {first.pk: "accepted", second.pk: "full"}
    assert Application.objects.filter(shift=shift, status=A.ACCEPTED).count() == 2


def _waits_on_a_lock(pid: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [pid])
        row = cursor.fetchone()
    return bool(row) and row[0] == "Lock"
