"""Care leavers: young people, placements, follow-ups, vacancies and interviews.

Rules come from ``levy.domain.placements``; these modules write rows, audit every change
and every read of a young person's record, and redact exports for users without the care
leavers role. They never commit. Each module holds one part; the public names are here.
"""

from levy.services.care_leavers.common import (
    APPLICANT_FIELDS,
    FOLLOW_UP_FIELDS,
    PLACEMENT_FIELDS,
    ROLE,
    VACANCY_FIELDS,
    YP_FIELDS,
    CareLeaverError,
    can_see_names,
    find_apprentice,
    next_reference,
)
from levy.services.care_leavers.follow_ups import (
    FollowUpTodo,
    domain_follow_up,
    flag_care_leaver,
    follow_up_todo,
    record_follow_up,
)
from levy.services.care_leavers.imports import ImportSummary, import_placements
from levy.services.care_leavers.placements import (
    domain_placement,
    placement_by_id,
    placement_count,
    placements,
    save_placement,
    view_placement,
)
from levy.services.care_leavers.reports import (
    PLACEMENT_EXPORT_HEADER,
    REDACTED,
    CareLeaverReport,
    placement_export_rows,
    record_export,
    report,
)
from levy.services.care_leavers.vacancies import (
    domain_applicant,
    interview_warnings,
    save_applicant,
    save_vacancy,
    vacancies,
    vacancy_by_id,
)
from levy.services.care_leavers.young_people import (
    save_young_person,
    view_young_person,
    young_people,
    young_person_by_id,
)

__all__ = [
    "APPLICANT_FIELDS",
    "FOLLOW_UP_FIELDS",
    "PLACEMENT_EXPORT_HEADER",
    "PLACEMENT_FIELDS",
    "REDACTED",
    "ROLE",
    "VACANCY_FIELDS",
    "YP_FIELDS",
    "CareLeaverError",
    "CareLeaverReport",
    "FollowUpTodo",
    "ImportSummary",
    "can_see_names",
    "domain_applicant",
    "domain_follow_up",
    "domain_placement",
    "find_apprentice",
    "flag_care_leaver",
    "follow_up_todo",
    "import_placements",
    "interview_warnings",
    "next_reference",
    "placement_by_id",
    "placement_count",
    "placement_export_rows",
    "placements",
    "record_export",
    "record_follow_up",
    "report",
    "save_applicant",
    "save_placement",
    "save_vacancy",
    "save_young_person",
    "vacancies",
    "vacancy_by_id",
    "view_placement",
    "view_young_person",
    "young_people",
    "young_person_by_id",
]
