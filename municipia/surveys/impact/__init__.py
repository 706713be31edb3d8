"""Impact evaluation of initiatives: a network's rubric filled for experiences of the bank by their
city (self-assessment) and by assigned peers or experts, in baseline and follow-up rounds
(docs/decisions/0053-impact-evaluation.md)."""
