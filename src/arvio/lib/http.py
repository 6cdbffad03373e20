"""A refused request, answered in the person's language: a page for a browser, JSON for a script."""

from django.http import JsonResponse
from django.shortcuts import render


def wants_json(request) -> bool:
    """The answer form's script asks with `X-Requested-With: fetch`; other clients may ask by Accept."""
    return request.headers.get("X-Requested-With") == "fetch" or "application/json" in request.headers.get("Accept", "")


def bad_request(request, message, *, status: int = 400):
    """400 with `message` (which says what to do), as the page 400.html or as {"message": …}."""
    if wants_json(request):
        return JsonResponse({"message": str(message)}, status=status)
    return render(request, "400.html", {"message": message}, status=status)
