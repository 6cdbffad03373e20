"""gunicorn's logger for Arvio (`logger_class` in gunicorn.conf.py): personal links masked in the
access log's every field (the request line, the path, the query, the referer, any header) and in
the error log, by the one function in `logmask`."""

from gunicorn.glogging import Logger

from arvio.lib.logmask import MaskLinks, mask_links


class MaskingLogger(Logger):
    def setup(self, cfg):
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                handler.addFilter(MaskLinks())

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {key: mask_links(value) if isinstance(value, str) else value for key, value in atoms.items()}
