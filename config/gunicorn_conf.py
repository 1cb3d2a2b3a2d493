"""gunicorn's own log lines (start, worker boot and exit, timeouts) in the same JSON as the app's.

Used by the Procfile's web process (`gunicorn -c config/gunicorn_conf.py`); LOG_FORMAT=text keeps
gunicorn's plain format. The access log stays off: the app logs one line per request itself.
"""

import os

# No control socket: several gunicorns on one host would share its default path in $HOME.
control_socket_disable = True

if os.environ.get("LOG_FORMAT", "json") == "json":
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "ops.logging.JsonFormatter"}},
        "handlers": {
            "console": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stdout"},
            "error_console": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stderr",
            },
        },
        "root": {"level": "INFO", "handlers": ["console"]},
        "loggers": {
            "gunicorn.error": {"level": "INFO", "handlers": [], "propagate": True},
            "gunicorn.access": {"level": "WARNING", "handlers": [], "propagate": True},
        },
    }
