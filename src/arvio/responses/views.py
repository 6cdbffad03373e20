from django.http import HttpResponse


def open_link(request, token):
    return HttpResponse("placeholder")


def answer(request):
    return HttpResponse("placeholder")
