"""Staff's curation of a round's results: excerpts of open answers and the narrative."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse

from arvio.staff.access import get_round_for_user


@login_required
def excerpts(request, code):
    get_round_for_user(request, code, manage=True)
    return HttpResponse("placeholder")
