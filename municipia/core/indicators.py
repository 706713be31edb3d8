"""The indicator shape shared by plans and cooperation projects: a name and unit, a baseline, a
target and dated measured values, and how far a value has come from the baseline to the target.

Both are abstract models: each app keeps its own tables (what an indicator measures differs) while
the fields, their meaning and the progress arithmetic live here once. So do their forms:
`IndicatorFormBase` (a concrete form names its model) and `IndicatorValueForm`.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django import forms
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from municipia.core.forms import Form, LocalDateField, LocalDecimalField, ModelForm
from municipia.core.models import TimestampedModel
from municipia.core.widgets import LocalDateInput


def achievement(baseline: Decimal, target: Decimal | None, value: Decimal | None) -> int | None:
    """Share of the way from baseline to target that `value` covers, in percent (0 to 100)."""
    if value is None or target is None or target == baseline:
        return None
    share = (value - baseline) / (target - baseline) * 100
    return max(0, min(100, round(share)))


class IndicatorBase(TimestampedModel):
    name = models.CharField(_("name"), max_length=300)
    unit = models.CharField(_("unit"), max_length=50, blank=True)
    baseline = models.DecimalField(_("baseline"), max_digits=14, decimal_places=2, default=0)
    # Empty when a plan names an indicator before it sets its target (imported plans often do).
    target = models.DecimalField(
        _("target"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    target_on = models.DateField(_("target date"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        abstract = True

    def __str__(self):
        return self.name

    def achievement(self, value) -> int | None:
        return achievement(self.baseline, self.target, value)


class IndicatorValueBase(TimestampedModel):
    """One measured value on a date; the concrete model adds its `indicator` foreign key."""

    measured_on = models.DateField(_("measured on"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        abstract = True
        ordering = ["indicator", "measured_on"]
        verbose_name = _("measured value")
        verbose_name_plural = _("measured values")

    def __str__(self):
        return f"{self.indicator}: {self.value} ({self.measured_on})"


@dataclass
class IndicatorSeries:
    """An indicator with its values in date order (prefetched by the caller)."""

    indicator: IndicatorBase
    values: list = field(default_factory=list)

    @property
    def latest(self):
        return self.values[-1] if self.values else None

    @property
    def achievement(self) -> int | None:
        latest = self.latest
        return self.indicator.achievement(latest.value if latest else None)


class IndicatorFormBase(ModelForm):
    """The fields of an indicator; a concrete form sets `Meta.model` (and adds what it measures)."""

    class Meta:
        fields = ["name", "unit", "baseline", "target", "target_on", "notes"]
        widgets = {"target_on": LocalDateInput(), "notes": forms.Textarea(attrs={"rows": 2})}
        localized_fields = ["baseline", "target"]


class IndicatorValueForm(Form):
    measured_on = LocalDateField(label=_("Measured on"), initial=timezone.localdate)
    value = LocalDecimalField(label=_("Value"), max_digits=14, decimal_places=2)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
