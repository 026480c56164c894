"""The HTTP API (FastAPI): thin routes over `app.service.TraceService`."""
