"""The factsheet's trust funds, with the projects and targets it states."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext as _

from partnership.core.factsheet_file import (
    FactsheetRecord,
    Index,
    LoadReport,
    bilingual,
    choice,
    edtf,
    factsheet_section,
    load_record,
    ref,
    write_row,
)
from partnership.core.models import Indicator, Marking, Measurement
from partnership.trustfunds.models import ActivityStatus, FundStatus, Project, TrustFund


@factsheet_section("trust_funds", what="trust fund", needs=("organizations",))
def _load_trust_fund(r: FactsheetRecord, index: Index, report: LoadReport) -> None:
    """A trust fund the factsheet names, with the projects and targets it states."""
    fields = {
        "name": bilingual(uk_required=True),
        "area": bilingual(uk_required=True),
        "established": edtf(required=False),
        "status": choice(FundStatus),
        "partner": index["organizations"]["ua"],
        "marking": Marking.PUBLIC,
    }
    # The factsheet names the executing agent of some funds only; where it does not, the agent
    # recorded in the platform stays.
    if "executing_agent" in r.record:
        fields["executing_agent"] = ref("organizations")
    fund = load_record(r, index, report, section="trust_funds", model=TrustFund, fields=fields)
    statuses = {"closed": ActivityStatus.CLOSED, "implementation": ActivityStatus.IMPLEMENTATION}
    project_type = ContentType.objects.get_for_model(Project)
    for item in r.record.get("projects") or []:
        p = FactsheetRecord(r.path, item, "project")
        title_en, title_uk = p.bilingual("title", uk_required=True)
        description_en, description_uk = p.bilingual("description", required=False)
        status = statuses.get(p.text("status"))
        if status is None:
            raise p.fail(_("“%(key)s” is missing") % {"key": "status"})
        slug = p.text("key")
        project, created, changed = write_row(
            Project,
            {"slug": slug},
            {
                "fund": fund, "iati_identifier": f"{settings.IATI_ORG_PREFIX}-{slug}",
                "title_en": title_en, "title_uk": title_uk, "description_en": description_en,
                "description_uk": description_uk, "status": status, "period": p.edtf("period"),
                "budget_eur": Decimal(str(item.get("budget_eur", 0))),
                "sector_code": p.text("sector"), "marking": Marking.PUBLIC,
                "source_line": r.line(),
            },
        )  # fmt: skip
        report.count("trust_funds", created, changed)
        for spec in item.get("indicators") or []:
            i = FactsheetRecord(r.path, spec, "indicator")
            ind_en, ind_uk = i.bilingual("name", uk_required=True)
            indicator, _c, _ch = write_row(
                Indicator,
                {"subject_type": project_type, "subject_id": project.pk, "name_en": ind_en},
                {"name_uk": ind_uk, "unit": i.text("unit", required=False),
                 "target": Decimal(str(spec["target"])), "marking": Marking.PUBLIC},
            )  # fmt: skip
            for actual in spec.get("actuals") or []:
                write_row(
                    Measurement,
                    {"indicator": indicator, "period": str(actual["period"])},
                    {"actual": Decimal(str(actual["value"]))},
                )
