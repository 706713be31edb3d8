from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "municipia.api"
    verbose_name = "API"
