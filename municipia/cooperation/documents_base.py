"""What cooperation's stored documents share (a report's, an agreement's): the checked file's
name, type, size and who uploaded it. Each concrete model adds its owner and its `file`, whose
storage path says whose document it is. Checking and storing: `services.check_documents` and
`services.save_documents`."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentBase(models.Model):
    original_name = models.CharField(_("original name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self):
        return self.original_name
