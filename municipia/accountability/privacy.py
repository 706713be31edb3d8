"""The network's books only record who entered or published what."""

from municipia.privacy import registry as privacy

privacy.actors("accountability.BudgetVersion", "recorded_by")
privacy.actors("accountability.ManualEntry", "uploaded_by")
privacy.actors("accountability.PublishedDocument", "uploaded_by")
