"""When an indicator's task in the yearly round is done: every series that counts for the year answered, one rule for all.

`workspace.tasks.indicator_state` decides it for the completeness matrix, the reporters'
workspace and mails and the data sources' worklist: a series without a value for the year
(in the indicator's own area) keeps the task from being done, a value with a missing reason
answers its series, and the task shows the state that needs action first, a missing series
after returned and draft values but before submitted and approved ones. A series added
later (first measured after the year) does not count for it (`workspace.tasks.year_series`).

The real data has the cases: 2.I5 (Kriminalvården) has three series, 5.I1 (Brå, a data
source) four, 4.I5 (Operation Kvinnofrid) a breakdown first given for 2024, 2.I3
(Socialstyrelsen) a total for 2019 and women and men from 2024.
"""

from decimal import Decimal

import pytest
from django.urls import reverse

from indicators.models import Indicator, MissingReason, Series, Value
from reporting.models import State
from strategy.models import Area, Organisation
from workspace.matrix import round_matrix
from workspace.tasks import MISSING, data_source_progress, organisation_progress, round_progress
from workspace.worklist import worklist_lines

from . import factories, reporting

pytestmark = pytest.mark.django_db

YEAR = reporting.YEAR
KV_THREE_SERIES = "2.I5"
BRA_FOUR_SERIES = "5.I1"


def series_of(code):
    return list(Indicator.objects.get(code=code).series.order_by("order", "pk"))


def answer(series, state, year=YEAR, missing_reason="", comment=""):
    return Value.objects.create(
        series=series,
        area=series.indicator.area,
        year=year,
        value=None if missing_reason else Decimal("12"),
        missing_reason=missing_reason,
        state=state,
        reviewer_comment=comment,
    )


def own_task(code, year=YEAR):
    """The indicator's task in its organisation's progress (it has a reporter)."""
    indicator = Indicator.objects.get(code=code)
    progress = organisation_progress(organisation=indicator.responsible, year=year)
    [task] = [t for t in progress.indicators if t.subject.code == code]
    return task


def source_task(code, year=YEAR):
    """The indicator's task among the data sources' (its organisation has no reporter)."""
    [task] = [t for p in data_source_progress(year=year).values() for t in p.tasks if t.subject.code == code]
    return task


def matrix_task(code, year=YEAR):
    groups, _ = round_matrix(year=year)
    lines = [line for g in groups for line in ([g["own"]] if g["own"] else []) + g["children"]]
    [task] = [t for line in lines for t in line.tasks if t.kind == "indicator" and t.subject.code == code]
    return task


def worklist_line(code, year=YEAR):
    [line] = [line for line in worklist_lines(year) if line.indicator.code == code]
    return line


def test_it_is_not_done_while_only_some_series_have_a_value_for_the_year(round_2025, kv_reporter):
    first, *others = series_of(KV_THREE_SERIES)
    answer(first, State.APPROVED)
    task = own_task(KV_THREE_SERIES)
    assert len(others) == 2 and (task.state, task.done) == (MISSING, False)
    # The other series' values for earlier years (2019–2024 in the real data), or for another area, do not answer 2025's.
    assert all(Value.objects.filter(series=s, year=YEAR - 1).exists() for s in others)
    stockholms_lan = Area.objects.get(slug="stockholms-lan")
    assert first.indicator.area != stockholms_lan
    for series in others:
        Value.objects.create(series=series, area=stockholms_lan, year=YEAR, value=Decimal("3"), state=State.APPROVED)
    assert own_task(KV_THREE_SERIES).state == MISSING
    for series in others:
        answer(series, State.APPROVED)
    assert (own_task(KV_THREE_SERIES).state, own_task(KV_THREE_SERIES).done) == (State.APPROVED, True)


def test_it_counts_a_value_with_a_missing_reason_as_an_answer(round_2025, kv_reporter):
    first, second, third = series_of(KV_THREE_SERIES)
    answer(first, State.APPROVED)
    answer(second, State.APPROVED)
    answer(third, State.APPROVED, missing_reason=MissingReason.NOT_AVAILABLE)  # "Ej tillgänglig" answers the series
    assert own_task(KV_THREE_SERIES).state == State.APPROVED


@pytest.mark.parametrize(
    "states, expected",
    [
        ((None, None, None), MISSING),
        ((State.DRAFT, None, None), State.DRAFT),
        ((State.RETURNED, State.DRAFT, None), State.RETURNED),
        ((State.SUBMITTED, State.APPROVED, None), MISSING),
        ((State.APPROVED, None, None), MISSING),
        ((State.SUBMITTED, State.APPROVED, State.APPROVED), State.SUBMITTED),
        ((State.APPROVED, State.APPROVED, State.APPROVED), State.APPROVED),
    ],
    ids=lambda p: "-".join(str(s) for s in p) if isinstance(p, tuple) else str(p),
)
def test_it_shows_the_state_that_needs_action_first_a_missing_series_after_returned_and_draft(
    round_2025, kv_reporter, states, expected
):
    for series, state in zip(series_of(KV_THREE_SERIES), states):
        if state:
            answer(series, state, comment="Kontrollera siffran." if state == State.RETURNED else "")
    task = own_task(KV_THREE_SERIES)
    assert task.state == expected
    # The task points at the value that needs action first (none for a missing series), with a returned one's comment.
    assert (task.item.state if task.item else MISSING) == expected
    assert task.comment == ("Kontrollera siffran." if expected == State.RETURNED else "")


def test_it_does_not_wait_for_a_series_added_after_the_year(round_2025, kv_reporter):
    for series in series_of(KV_THREE_SERIES):
        answer(series, State.APPROVED)
    indicator = Indicator.objects.get(code=KV_THREE_SERIES)
    added = Series.objects.create(indicator=indicator, key="ny", label="Ny uppdelning", order=9)
    answer(added, State.APPROVED, year=YEAR + 1)  # first measured the year after: it did not exist in 2025
    assert own_task(KV_THREE_SERIES).state == State.APPROVED
    # The next year it counts like the others.
    answer(series_of(KV_THREE_SERIES)[0], State.APPROVED, year=YEAR + 1)
    assert own_task(KV_THREE_SERIES, year=YEAR + 1).state == MISSING
    # A series with no value at all counts: it is there to be filled in.
    Value.objects.filter(series=added).delete()
    assert own_task(KV_THREE_SERIES).state == MISSING


def test_it_counts_every_series_when_none_was_measured_by_the_year(round_2025):
    # A data source's indicator whose figures all start after the year is still the year's task: nothing is in.
    indicator = factories.indicator(code="5.I98", responsible=Organisation.objects.get(slug="bra"))
    total, women = factories.headline(indicator), factories.headline(indicator, "Kvinnor")
    answer(women, State.APPROVED, year=YEAR + 1)
    assert source_task("5.I98").state == MISSING
    assert worklist_line("5.I98").missing == [total, women]


def test_it_keeps_counting_a_series_across_its_break(round_2025, kv_reporter):
    # A break changes what the series measures from that year on; the series goes on and needs its value.
    first, second, third = series_of(KV_THREE_SERIES)
    third.break_year, third.break_note = YEAR, "Ny definition."
    third.save()
    answer(first, State.APPROVED)
    answer(second, State.APPROVED)
    assert own_task(KV_THREE_SERIES).state == MISSING


def test_it_reads_the_real_rounds_series_by_series():
    # 2023: 4.I5's four series of the old definition are in; its 2024 breakdown did not exist yet.
    assert source_task("4.I5", 2023).state == State.APPROVED
    # 2024 (the published round): its eighteen series are in.
    assert source_task("4.I5", 2024).state == State.APPROVED
    # 2.I3: 2019 has the total only (women and men come later); 2024 women and men, but no total.
    assert source_task("2.I3", 2019).state == State.APPROVED
    assert source_task("2.I3", 2024).state == MISSING
    # The worklist reads them alike.
    assert worklist_line("4.I5", 2023).complete and worklist_line("2.I3", 2019).complete
    assert [s.display_label for s in worklist_line("2.I3", 2024).missing] == ["Totalt"]


def test_it_agrees_on_done_in_the_matrix_and_the_worklist_for_a_data_source(round_2025):
    first, second, *rest = series_of(BRA_FOUR_SERIES)
    answer(first, State.APPROVED)
    answer(second, State.APPROVED)
    line = worklist_line(BRA_FOUR_SERIES)
    assert not line.complete and line.missing == rest
    assert not matrix_task(BRA_FOUR_SERIES).done and not source_task(BRA_FOUR_SERIES).done
    for series in rest:
        answer(series, State.APPROVED)
    assert worklist_line(BRA_FOUR_SERIES).complete and worklist_line(BRA_FOUR_SERIES).missing == []
    assert matrix_task(BRA_FOUR_SERIES).done and source_task(BRA_FOUR_SERIES).done


def test_it_agrees_on_done_in_the_matrix_and_the_reporters_workspace(client, round_2025, kv_reporter):
    client.force_login(kv_reporter)

    def workspace_task():
        progress = client.get(reverse("workspace:home")).context["progress"]
        [task] = [t for t in progress.indicators if t.subject.code == KV_THREE_SERIES]
        return task

    first, *rest = series_of(KV_THREE_SERIES)
    answer(first, State.SUBMITTED)
    assert (workspace_task().state, matrix_task(KV_THREE_SERIES).state) == (MISSING, MISSING)
    assert not workspace_task().done and not matrix_task(KV_THREE_SERIES).done
    for series in rest:
        answer(series, State.SUBMITTED)
    assert (workspace_task().state, matrix_task(KV_THREE_SERIES).state) == (State.SUBMITTED, State.SUBMITTED)
    assert workspace_task().done and matrix_task(KV_THREE_SERIES).done
    # Whoever enters it, the same indicator is done by the same rule: without its reporter it is a data source's.
    kv_reporter.is_active = False
    kv_reporter.save()
    Value.objects.filter(series__indicator__code=KV_THREE_SERIES).update(state=State.APPROVED)
    assert source_task(KV_THREE_SERIES).done and worklist_line(KV_THREE_SERIES).complete
    Value.objects.filter(series=first).delete()
    assert not source_task(KV_THREE_SERIES).done and not worklist_line(KV_THREE_SERIES).complete


def test_it_decides_in_as_many_queries_however_many_series_are_answered(
    round_2025, kv_reporter, django_assert_num_queries
):
    with django_assert_num_queries(8):
        round_progress(year=YEAR)
    for code in (KV_THREE_SERIES, "4.I5", BRA_FOUR_SERIES):
        reporting.every_series(code=code, state=State.APPROVED)
    with django_assert_num_queries(8):
        progress = round_progress(year=YEAR)
    assert [t.state for t in progress[kv_reporter.membership.organisation_id].indicators] == [State.APPROVED]
    with django_assert_num_queries(2):
        data_source_progress(year=YEAR)
