"""Answers from another form tool, uploaded on the round's page: every problem by row and column, or a preview of
what will be stored, then a confirmation. The same importer as `arvio import_responses` (responses/imports.py).

Between the preview and the confirmation the file waits in a PendingImport row (never in the session), named by a
random id that only its uploader can use, for ARVIO_UPLOAD_KEEP_MINUTES.
"""

import tempfile
from datetime import timedelta
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from arvio.lib.text import SingleValues, text_problem
from arvio.responses.imports import ResponsesFileError, responses_import, responses_preview
from arvio.responses.models import PendingImport
from arvio.staff.access import get_round_for_user, may_see_answers

SUFFIXES = (".csv", ".xlsx")


class UploadForm(SingleValues, forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Responses file (CSV or XLSX)"),
        help_text=gettext_lazy(
            "The first row names the columns: kunta (or municipality), then the codes of the goals and questions."
        ),
    )
    replace = forms.BooleanField(label=gettext_lazy("Replace answers already submitted"), required=False)

    def clean_replace(self):
        # A checkbox sends "on" or nothing; anything else is no choice a person made.
        if self.data.get("replace", "") not in ("", "on"):
            raise forms.ValidationError(
                _("This field was not sent as the page sends it. Reload the page and try again.")
            )
        return self.cleaned_data["replace"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = upload.name or ""
        if text_problem(name) is not None or Path(name).suffix.lower() not in SUFFIXES:
            raise forms.ValidationError(_("The file must be a .csv or .xlsx file."))
        if upload.size > settings.ARVIO_IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(limit)s MB, the most that can be imported.")
                % {"limit": round(settings.ARVIO_IMPORT_MAX_BYTES / 1024 / 1024, 1)}
            )
        return upload


def _checked(round, *, filename: str, content: bytes, replace: bool, run):
    """Runs `run` (the preview or the import) on the bytes, written to a private temporary file of the right kind."""
    with tempfile.TemporaryDirectory(prefix="arvio-upload-") as directory:
        path = Path(directory) / f"responses{Path(filename).suffix.lower()}"
        path.write_bytes(content)
        return run(round=round, path=path, replace=replace)


def _upload_round(request, code):
    round = get_round_for_user(request, code, manage=True)
    if not may_see_answers(request.user, round):  # a file of answers is each municipality's own answers
        raise Http404
    return round


@login_required
def responses_upload(request, code):
    """GET shows the form; POST checks the file and shows its problems, or a preview to confirm."""
    round = _upload_round(request, code)
    if request.method != "POST":
        return render(request, "staff/responses_upload.html", {"round": round, "form": UploadForm()})
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "staff/responses_upload.html", {"round": round, "form": form}, status=400)
    upload = form.cleaned_data["file"]
    content = upload.read()
    replace = form.cleaned_data["replace"]
    try:
        preview = _checked(round, filename=upload.name, content=content, replace=replace, run=responses_preview)
    except ResponsesFileError as error:
        return render(
            request,
            "staff/responses_upload.html",
            {"round": round, "form": form, "problems": error.errors, "filename": upload.name},
            status=400,
        )
    now = timezone.now()
    PendingImport.objects.filter(expires_at__lt=now).delete()
    pending = PendingImport.objects.create(
        round=round,
        uploaded_by=request.user,
        filename=upload.name[:255],
        content=content,
        replace=replace,
        expires_at=now + timedelta(minutes=settings.ARVIO_UPLOAD_KEEP_MINUTES),
    )
    return render(
        request,
        "staff/responses_preview.html",
        {"round": round, "pending": pending, "preview": preview, "replaced": sum(row.replaces for row in preview)},
    )


@login_required
@require_POST
def responses_upload_confirm(request, code, upload_id):
    round = _upload_round(request, code)
    with transaction.atomic():
        pending = (
            PendingImport.objects.select_for_update()
            .filter(pk=upload_id, round=round, uploaded_by=request.user, expires_at__gte=timezone.now())
            .first()
        )
        if pending is None:
            messages.error(request, _("That upload is no longer waiting to be imported. Upload the file again."))
            return redirect("staff:responses_upload", round.code)
        try:
            result = _checked(
                round,
                filename=pending.filename,
                content=bytes(pending.content),
                replace=pending.replace,
                run=lambda **kwargs: responses_import(**kwargs, by=request.user),
            )
        except ResponsesFileError as error:
            # Something changed since the preview (a municipality submitted, say): nothing was stored.
            pending.delete()
            return render(
                request,
                "staff/responses_upload.html",
                {"round": round, "form": UploadForm(), "problems": error.errors, "filename": pending.filename},
                status=400,
            )
        pending.delete()
    messages.success(
        request,
        _("Imported from %(file)s. New responses: %(created)d, replaced: %(replaced)d.")
        % {"file": pending.filename, "created": len(result.created), "replaced": len(result.replaced)},
    )
    return redirect("staff:round", round.code)
