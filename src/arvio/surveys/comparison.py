"""Changing what a round is compared with: its baseline round and the mapping of its goals to the baseline's.

The survey file sets both too (survey_import); these are the staff page's actions (staff/comparison.py).
Each is recorded. The mapping is the report's layout, not what was asked: it may change after answers.
"""

from django.db import transaction

from arvio.records.models import AuditEntry
from arvio.records.services import record
from arvio.surveys.models import BaselineMapping, Round


@transaction.atomic
def round_baseline_set(*, round: Round, baseline: Round | None, none: bool = False, by=None) -> int:
    """Compares `round` with `baseline`, with none (`none`), or by the default rule (neither). The mapping rows
    that name a goal the new baseline does not rate go; returns how many went."""
    if baseline is not None and (baseline.organizer_id != round.organizer_id or baseline.opens_on >= round.opens_on):
        raise ValueError("A baseline is an earlier round of the same organizer.")
    round.baseline, round.no_baseline = baseline, none and baseline is None
    round.save(update_fields=["baseline", "no_baseline", "updated_at"])
    resolved = round.compared_round_now()
    kept = {node.code for node in resolved.rated_goals()} if resolved else set()
    removed, _per_model = round.baseline_mapping.exclude(baseline_code__in=kept).delete()
    record(
        action=AuditEntry.Action.COMPARISON_EDIT,
        by=by,
        round_code=round.code,
        detail={
            "baseline": baseline.code if baseline else ("none" if round.no_baseline else "default"),
            "mapping_rows_removed": removed,
        },
    )
    return removed


@transaction.atomic
def round_mapping_add(*, round: Round, baseline_code: str, code: str, by=None) -> BaselineMapping:
    row, _created = BaselineMapping.objects.get_or_create(round=round, baseline_code=baseline_code, code=code)
    record(
        action=AuditEntry.Action.COMPARISON_EDIT,
        by=by,
        round_code=round.code,
        detail={"mapping_added": f"{baseline_code} → {code}"},
    )
    return row


@transaction.atomic
def round_mapping_remove(*, row: BaselineMapping, by=None) -> None:
    round_code, pair = row.round.code, str(row)
    row.delete()
    record(action=AuditEntry.Action.COMPARISON_EDIT, by=by, round_code=round_code, detail={"mapping_removed": pair})
