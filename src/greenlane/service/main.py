"""The ASGI application on GREENLANE_DATABASE_URL, for ``uvicorn greenlane.service.main:app``."""

from greenlane.service.app import create_app

app = create_app()
