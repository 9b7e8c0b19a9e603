"""Pages that belong to no module: health check, accessibility statement."""

from flask import Blueprint, current_app, jsonify, render_template

from consult.core.health import check_parts
from consult.core.notices import accessibility_facts
from consult.extensions import limiter

bp = Blueprint("core", __name__)


@bp.get("/healthz")
@limiter.exempt
def check_health():
    """Readiness for a load balancer or orchestrator: 200 when every configured part answers, 503 if not."""
    health = check_parts(current_app)
    return jsonify(health.as_dict()), 200 if health.ok else 503, {"Cache-Control": "no-store"}


@bp.get("/accessibility")
def show_accessibility_statement():
    return render_template("core/accessibility_view.html", facts=accessibility_facts())
