"""Makes the client's address known to `record` for the request being served.

The address is read by `arvio.lib.client.client_address`, as the login and link throttles read it
(ARVIO_PROXY_COUNT proxies skipped), so that the audit log and the lockouts name the same address.
"""

from arvio.lib.client import client_address
from arvio.records.services import current_address


class RequestAddressMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_address.set(client_address(request))
        try:
            return self.get_response(request)
        finally:
            current_address.reset(token)
