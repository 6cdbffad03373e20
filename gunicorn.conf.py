"""gunicorn's configuration for Arvio: `gunicorn -c gunicorn.conf.py` (docs/deployment.md).

The access and error logs mask every personal link's token (`/a/<token>/` → `/a/***/`): the logger
class uses the same masking as Django's logging (arvio.lib.logmask).
"""

import os

wsgi_app = "arvio.wsgi:application"
bind = os.environ.get("ARVIO_BIND", "127.0.0.1:8001")
workers = int(os.environ.get("ARVIO_WORKERS", "3"))
accesslog = "-"
errorlog = "-"
logger_class = "arvio.lib.gunicorn_logging.MaskingLogger"
