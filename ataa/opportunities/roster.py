"""The roster of a shift (or of an opportunity without shifts), and its CSV and XLSX exports.

A roster lists the accepted volunteers (by name) and, below, the waitlist (in its order), each
with the party size, the answers to the application questions and the phone number — only
where the volunteer's privacy settings share it with organizations (otherwise "not shared").

Reads are `roster_for` (a fixed number of queries, whatever the number of rows). An export is a
read of personal data leaving the platform, so `roster_export` records `roster.exported` (the
shift or opportunity id, the format and the number of rows; never a name). Cells that a
spreadsheet could run as a formula are defused: in CSV a leading = + - @ (or tab, carriage
return) gets a quote in front; in XLSX every value is stored as text or a number, never a
formula.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ataa.core.audit import audit_record
from ataa.core.text import search_key
from ataa.opportunities.access import require_manager
from ataa.opportunities.models import Application, ApplicationQuestion, Opportunity, Shift

S = Application.Status


class ExportFormat:
    CSV = "csv"
    XLSX = "xlsx"
    ALL = (CSV, XLSX)


CONTENT_TYPES = {
    ExportFormat.CSV: "text/csv; charset=utf-8",
    ExportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# Characters that make a spreadsheet read a cell as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class RosterRow:
    position: int
    application: Application
    name: str
    name_latin: str
    phone: str | None  # None: the volunteer does not share it
    answers: list[str] = field(default_factory=list)  # in the order of the questions
    question_texts: list[str] = field(default_factory=list)

    @property
    def party_size(self) -> int:
        return self.application.party_size

    @property
    def status(self) -> str:
        return self.application.status

    @property
    def answer_rows(self) -> list[tuple[str, str]]:
        pairs = zip(self.question_texts, self.answers, strict=True)
        return [(text, answer) for text, answer in pairs if answer]


@dataclass
class Roster:
    opportunity: Opportunity
    shift: Shift | None
    questions: list[ApplicationQuestion]
    accepted: list[RosterRow]
    waitlist: list[RosterRow]

    @property
    def capacity(self) -> int:
        return self.shift.capacity if self.shift is not None else self.opportunity.capacity

    @property
    def taken(self) -> int:
        return sum(row.party_size for row in self.accepted)

    @property
    def rows(self) -> list[RosterRow]:
        return self.accepted + self.waitlist

    @property
    def has_started(self) -> bool:
        """Whether "did not come" may be marked (the rule of application_mark_no_show)."""
        now = timezone.now()
        if self.shift is not None:
            return self.shift.starts_at <= now
        starts_on = self.opportunity.starts_on
        return starts_on is not None and starts_on <= timezone.localdate(now)

    @property
    def day(self) -> dt.date:
        if self.shift is not None:
            return timezone.localdate(self.shift.starts_at)
        return self.opportunity.starts_on or timezone.localdate()


def _row(position: int, application: Application, questions) -> RosterRow:
    profile = getattr(application.volunteer, "volunteer_profile", None)
    if profile is not None:
        name, latin = profile.full_name_ar, profile.full_name_latin
        phone = profile.phone if profile.share_phone_with_organizations else None
    else:  # the profile was erased after applying: the account's name, nothing else
        name, latin, phone = application.volunteer.full_name, "", None
    answers = application.answers or {}
    return RosterRow(
        position=position,
        application=application,
        name=name,
        name_latin=latin,
        phone=phone,
        answers=[str(answers.get(str(question.pk), "")) for question in questions],
        question_texts=[question.text for question in questions],
    )


def roster_for(*, opportunity: Opportunity, shift: Shift | None = None) -> Roster:
    """The roster of `shift`, or of the opportunity's applications without a shift.

    Accepted volunteers sorted by name (Arabic spelling variants folded), the waitlist in its
    order (oldest first). Three queries, whatever the number of rows.
    """
    questions = list(ApplicationQuestion.objects.filter(opportunity=opportunity))
    applications = Application.objects.filter(
        opportunity=opportunity, status__in=[S.ACCEPTED, S.WAITLISTED]
    ).select_related("volunteer", "volunteer__volunteer_profile")
    if shift is not None:
        applications = applications.filter(shift=shift)
    else:
        applications = applications.filter(shift__isnull=True)
    applications = list(applications.order_by("created_at", "pk"))
    for application in applications:
        application.opportunity = opportunity
        application.shift = shift
    accepted = [a for a in applications if a.status == S.ACCEPTED]
    waiting = [a for a in applications if a.status == S.WAITLISTED]
    accepted_rows = [_row(0, application, questions) for application in accepted]
    accepted_rows.sort(key=lambda row: (search_key(row.name), row.application.pk))
    for position, row in enumerate(accepted_rows, start=1):
        row.position = position
    return Roster(
        opportunity=opportunity,
        shift=shift,
        questions=questions,
        accepted=accepted_rows,
        waitlist=[
            _row(position, application, questions)
            for position, application in enumerate(waiting, start=1)
        ],
    )


# --- Export ---------------------------------------------------------------------------------


def defuse(value):
    """A CSV cell a spreadsheet will not run as a formula: a quote before = + - @."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _header(roster: Roster) -> list[str]:
    return [
        _("Number"),
        _("Status"),
        _("Name"),
        _("Name in Latin script"),
        _("Number of people"),
        _("Mobile phone"),
        _("Applied on"),
        *[question.text for question in roster.questions],
    ]


def _table(roster: Roster) -> list[list]:
    """The header and one row per application: the accepted volunteers, then the waitlist."""
    not_shared = _("Not shared")
    table: list[list] = [_header(roster)]
    for row in roster.rows:
        table.append(
            [
                row.position,
                str(row.application.get_status_display()),
                row.name,
                row.name_latin,
                row.party_size,
                row.phone if row.phone is not None else not_shared,
                timezone.localdate(row.application.created_at),
                *row.answers,
            ]
        )
    return table


def roster_csv(roster: Roster) -> bytes:
    """UTF-8 with a byte order mark, so that Excel shows Arabic; formula cells defused."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for values in _table(roster):
        writer.writerow(
            [value.isoformat() if isinstance(value, dt.date) else defuse(value) for value in values]
        )
    return buffer.getvalue().encode("utf-8-sig")


COLUMN_WIDTHS = [8, 14, 30, 30, 10, 18, 14]
ANSWER_WIDTH = 40


def roster_xlsx(roster: Roster) -> bytes:
    """One sheet, right to left when the language is Arabic, a bold header row, fitting widths.

    Strings are written as text cells (never formulas, whatever they start with)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Roster")[:31]
    sheet.sheet_view.rightToLeft = (get_language() or "ar").startswith("ar")
    bold = Font(bold=True)
    table = _table(roster)
    for row_number, values in enumerate(table, start=1):
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=row_number, column=column)
            cell.value = value
            if isinstance(value, str):
                cell.data_type = "s"  # openpyxl would store "=…" as a formula
                if value.startswith(FORMULA_STARTS):
                    cell.quotePrefix = True  # Excel keeps it as text when the cell is edited
            elif isinstance(value, dt.date):
                cell.number_format = "yyyy-mm-dd"
            if row_number == 1:
                cell.font = bold
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    for column in range(1, len(table[0]) + 1):
        width = COLUMN_WIDTHS[column - 1] if column <= len(COLUMN_WIDTHS) else ANSWER_WIDTH
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def roster_filename(roster: Roster, fmt: str) -> str:
    """No personal data: `roster-shift-<id>-<date>.csv` or `roster-opportunity-<id>-<date>.csv`."""
    if roster.shift is not None:
        return f"roster-shift-{roster.shift.pk}-{roster.day.isoformat()}.{fmt}"
    return f"roster-opportunity-{roster.opportunity.pk}-{roster.day.isoformat()}.{fmt}"


@transaction.atomic
def roster_export(
    *, roster: Roster, fmt: str, actor, ip_address: str | None = None
) -> tuple[bytes, str, str]:
    """The roster as a CSV or XLSX file: (content, content type, file name). Audited as
    `roster.exported` with the ids, the format and the number of rows (no names)."""
    require_manager(
        actor=actor,
        organization_id=roster.opportunity.organization_id,
        refusal=_("Only the organization's admins and coordinators can export a roster."),
    )
    if fmt not in ExportFormat.ALL:
        raise ValueError(f"unknown export format {fmt!r}")
    content = roster_csv(roster) if fmt == ExportFormat.CSV else roster_xlsx(roster)
    audit_record(
        actor=actor,
        verb="roster.exported",
        organization_id=roster.opportunity.organization_id,
        target=roster.shift if roster.shift is not None else roster.opportunity,
        ip_address=ip_address,
        payload={
            "opportunity_id": roster.opportunity.pk,
            "shift_id": roster.shift.pk if roster.shift is not None else None,
            "format": fmt,
            "rows": len(roster.rows),
        },
    )
    return content, CONTENT_TYPES[fmt], roster_filename(roster, fmt)
