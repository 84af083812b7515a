"""The owners' Setup page: `tandem doctor`'s checks, judged on the request that opened the page too."""

from flask import render_template, request

from .. import doctor, moderation
from ..doctor_facts import gather
from . import admin
from .auth import current_moderator, login_required


@admin.get("/setup")
@login_required
def setup():
    moderation.require_owner(current_moderator())
    findings = doctor.diagnose(gather(request))
    return render_template("admin/setup.html", findings=findings, failed=doctor.failed(findings))
