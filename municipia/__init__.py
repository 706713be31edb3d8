"""Municipia: the platform on which networks of cities and local governments do their work."""

from municipia.celery import app as celery_app

__all__ = ["celery_app"]
