import os

from django.core.wsgi import get_wsgi_application

from kuzot.hardening import harden_process

harden_process()
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kuzot.settings")
application = get_wsgi_application()
