"""The WSGI entry point: `gunicorn -w 2 wsgi:app`."""

from service import create_app

app = create_app()
