"""Operations: health endpoints, request ids and JSON logs, Celery hooks, error reporting."""
