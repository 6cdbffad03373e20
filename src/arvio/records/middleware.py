"""Makes the client's address known to `record` for the request being served.

The address is read as the login throttle reads it (django-axes, ARVIO_PROXY_COUNT proxies skipped),
so that the audit log and the lockouts name the same address.
"""

from axes.helpers import get_client_ip_address

from arvio.records.services import current_address


class RequestAddressMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_address.set(get_client_ip_address(request))
        try:
            return self.get_response(request)
        finally:
            current_address.reset(token)
