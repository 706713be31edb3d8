"""The hash chain of a body's results: each result's hash is sha256 over the canonical JSON of its
content and the previous result's hash, so changing or removing any recorded result breaks every
hash after it. `verify_chain` recomputes it from the rows as stored."""

import datetime
import hashlib
import json
from dataclasses import dataclass

from django.utils.translation import gettext as _


def canonical(result) -> str:
    recorded = result.recorded_at.astimezone(datetime.UTC).isoformat()
    content = {
        "body": result.body_id,
        "sequence": result.sequence,
        "ballot": result.ballot_id,
        "title": result.title,
        "secret": result.secret,
        "counts": result.counts,
        "voters": result.voters,
        "outcome": result.outcome,
        "elected": result.elected,
        "recorded_at": recorded,
        "previous": result.previous_hash,
    }
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def result_hash(result) -> str:
    return hashlib.sha256(canonical(result).encode()).hexdigest()


@dataclass(frozen=True)
class ChainProblem:
    sequence: int
    reason: str


def verify_chain(body) -> list[ChainProblem]:
    """What is wrong with the body's chain of results as stored (empty when it holds)."""
    from municipia.events.governance.models import Result

    problems, previous, expected_sequence = [], "", 1
    for result in Result.objects.filter(body=body).order_by("sequence"):
        if result.sequence != expected_sequence:
            problems.append(
                ChainProblem(result.sequence, _("A result is missing before this one."))
            )
        if result.previous_hash != previous:
            problems.append(
                ChainProblem(result.sequence, _("It does not follow the previous result's hash."))
            )
        if result_hash(result) != result.hash:
            problems.append(
                ChainProblem(result.sequence, _("Its content does not match its hash."))
            )
        previous, expected_sequence = result.hash, result.sequence + 1
    return problems
