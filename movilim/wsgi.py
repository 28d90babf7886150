"""WSGI entry point for gunicorn: ``gunicorn movilim.wsgi``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "movilim.settings")
application = get_wsgi_application()
