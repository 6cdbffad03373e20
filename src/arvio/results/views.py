"""The results page and the report's downloads."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse

from arvio.staff.access import get_round_for_user


@login_required
def results_page(request, code):
    get_round_for_user(request, code)
    return HttpResponse("placeholder")
