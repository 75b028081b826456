"""Generated, clearly marked ANP years for the demo and for the benchmarks.

Written with bulk inserts (and their history rows), because a benchmark year has 450 measures
and 1,800 reports; the demo's records carry "Demo:" in their text and `demo=True`."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from partnership.anp.models import (
    CHAPTERS,
    AnnualProgramme,
    Assessment,
    Chapter,
    Goal,
    Measure,
    MeasureIndicator,
    ProgrammeStatus,
    QuarterlyReport,
    Status,
    quarter_due,
)
from partnership.core.models import Marking, Organization, User

ACTIONS = {
    1: ["Draft and submit the law on", "Hold public consultations on", "Adopt the strategy for"],
    2: ["Introduce NATO standards in", "Train staff of", "Reorganize the command of"],
    3: ["Plan the budget for", "Audit the spending on", "Procure equipment for"],
    4: ["Strengthen the protection of", "Reform the service responsible for", "Exercise"],
    5: ["Harmonize legislation on", "Ratify the agreement on", "Amend the code on"],
}
SUBJECTS = [
    "civil control of the armed forces", "defence procurement", "the border guard service",
    "cyber security", "military education", "the logistics system", "public information",
    "anti-corruption measures", "the intelligence services", "civil emergency planning",
    "military medicine", "the reserve system", "personnel policy", "the national police",
]  # fmt: skip
STATUS_PATH = [
    [Status.NOT_STARTED, Status.ON_TRACK, Status.ON_TRACK, Status.DONE],
    [Status.ON_TRACK, Status.ON_TRACK, Status.DONE, Status.DONE],
    [Status.ON_TRACK, Status.AT_RISK, Status.AT_RISK, Status.OVERDUE],
    [Status.NOT_STARTED, Status.NOT_STARTED, Status.AT_RISK, Status.OVERDUE],
    [Status.ON_TRACK, Status.ON_TRACK, Status.ON_TRACK, Status.ON_TRACK],
]


@transaction.atomic
def generate_year(
    *,
    year: int,
    measures: int,
    agencies: list[Organization],
    reporter: User,
    assessor: User | None = None,
    quarters: int = 4,
    seed: int = 0,
    marking: str = Marking.PARTNERSHIP,
    goals_per_chapter: int = 4,
    coordinator: Organization | None = None,
) -> AnnualProgramme:
    rng = random.Random(seed or year)
    programme = AnnualProgramme.objects.create(
        year=year,
        status=ProgrammeStatus.APPROVED,
        marking=marking,
        demo=True,
        coordinator=coordinator,
    )
    chapters = Chapter.objects.bulk_create(
        Chapter(
            programme=programme,
            number=n,
            title_en=en,
            title_uk=uk,
            strategic_goal_en=f"Demo: strategic goal of chapter {n} for {year}.",
        )
        for n, en, uk in CHAPTERS
    )
    goals = bulk_create_with_history(
        [
            Goal(
                chapter=c,
                code=f"{c.number}.{g}",
                text_en=f"Demo: goal {c.number}.{g} – {rng.choice(SUBJECTS)}",
                expected_result_en=f"Demo: expected result of goal {c.number}.{g}",
            )
            for c in chapters
            for g in range(1, goals_per_chapter + 1)
        ],
        Goal,
    )
    rows = []
    for i in range(measures):
        goal = goals[i % len(goals)]
        chapter = chapters[(i % len(goals)) // goals_per_chapter]
        quarter = rng.randint(1, 4)
        deadline = str(year) if rng.random() < 0.3 else f"{year}-{32 + quarter}"
        m = Measure(
            programme=programme,
            chapter=chapter,
            goal=goal,
            code=f"{goal.code}.{i + 1}",
            text_en=f"Demo: {rng.choice(ACTIONS[chapter.number])} {rng.choice(SUBJECTS)}",
            agency=rng.choice(agencies),
            deadline=deadline,
            marking=marking,
        )
        rows.append(m)
    created = bulk_create_with_history(rows, Measure)
    indicators = bulk_create_with_history(
        [
            MeasureIndicator(
                measure=m,
                name_en="Demo: share of the plan carried out",
                unit="%",
                baseline=Decimal(0),
                target=Decimal(100),
            )
            for m in created
        ],
        MeasureIndicator,
    )
    reports = []
    for m, indicator in zip(created, indicators, strict=True):
        path = rng.choice(STATUS_PATH)
        for q in range(1, quarters + 1):
            due = quarter_due(year, q)
            late = rng.random() < 0.1
            reports.append(
                QuarterlyReport(
                    measure=m,
                    year=year,
                    quarter=q,
                    status=path[q - 1],
                    progress_en=f"Demo: progress of {m.code} in Q{q}.",
                    submitted_by=reporter,
                    submitted_at=dt.datetime(
                        due.year, due.month, 28 if late else 20, tzinfo=dt.UTC
                    ),
                    late=late,
                )
            )
        if quarters:
            m.status = path[quarters - 1]
            indicator.actual = Decimal(25 * quarters if path[quarters - 1] != Status.DONE else 100)
    bulk_create_with_history(reports, QuarterlyReport, batch_size=2000)
    Measure.objects.bulk_update(created, ["status"], batch_size=2000)
    MeasureIndicator.objects.bulk_update(indicators, ["actual"], batch_size=2000)
    # A bulk load sends no save signals: the measures are put in the search index here.
    from partnership.search.index import index_records
    from partnership.search.registry import BY_MODEL

    index_records(BY_MODEL[Measure], created)
    if assessor is not None and assessor.organization is not None:
        for c in chapters:
            Assessment.objects.create(
                programme=programme,
                chapter=c,
                organization=assessor.organization,
                assessor=assessor,
                rating=rng.choice([2, 3, 3, 4]) if c.number != 2 else 1,
                comment=f"Demo: the Allies' view of chapter {c.number}.",
                recommendations=f"Demo: priorities recommended for chapter {c.number}.",
                marking=Marking.PARTNERSHIP,
            )
    return programme
