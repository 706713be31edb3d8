from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    name = "municipia.learning"
    verbose_name = _("Virtual classroom")
    navigation = [("knowledge", "learning:catalogue", _("Courses"))]
    # Who enrolled, what they handed in and their grades are never on a public page.
    cache_private_models = [
        "Enrolment",
        "ModuleProgress",
        "Submission",
        "Attendance",
        "ForumThread",
        "ForumPost",
        "CourseCertificate",
    ]

    def ready(self):
        from municipia.learning.certificates import COURSE_CERTIFICATE
        from municipia.verification.registry import register

        register(COURSE_CERTIFICATE)
