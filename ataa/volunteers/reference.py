"""The volunteering taxonomy held in memory (see ataa.core.reference)."""

from __future__ import annotations

from ataa.core.reference import ReferenceList
from ataa.volunteers.models import Skill, VolunteeringField

FIELDS: ReferenceList[VolunteeringField] = ReferenceList(VolunteeringField)
SKILLS: ReferenceList[Skill] = ReferenceList(Skill)
