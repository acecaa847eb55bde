"""The REST service: FastAPI on the store, one organization's view per API key."""
