"""The client's address, read past ARVIO_PROXY_COUNT reverse proxies."""

from django.test import RequestFactory

from arvio.lib.client import client_address


def _request(forwarded=None):
    extra = {"REMOTE_ADDR": "127.0.0.1"}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_it_reads_remote_addr_without_proxies(settings):
    settings.ARVIO_PROXY_COUNT = 0
    assert client_address(_request("198.51.100.7")) == "127.0.0.1"


def test_it_reads_the_address_the_nearest_proxies_appended(settings):
    settings.ARVIO_PROXY_COUNT = 1
    assert client_address(_request("198.51.100.7")) == "198.51.100.7"
    assert client_address(_request("10.9.9.9, 198.51.100.7")) == "198.51.100.7"
    settings.ARVIO_PROXY_COUNT = 2
    assert client_address(_request("10.9.9.9, 198.51.100.7, 10.0.0.2")) == "198.51.100.7"


def test_it_falls_back_to_remote_addr_on_a_header_it_cannot_read(settings):
    settings.ARVIO_PROXY_COUNT = 1
    for forwarded in (None, "", "not an address", "198.51.100.7\x00", "1" * 5000):
        assert client_address(_request(forwarded)) == "127.0.0.1", forwarded
    settings.ARVIO_PROXY_COUNT = 2
    assert client_address(_request("198.51.100.7")) == "127.0.0.1"
