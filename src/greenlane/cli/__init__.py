"""The greenlane command line (``greenlane``): a root whose groups load on first use."""

from greenlane.cli.main import app

__all__ = ["app"]
