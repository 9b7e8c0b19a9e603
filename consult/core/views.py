"""Pages that belong to no module: health check, accessibility statement."""

import sqlalchemy as sa
from flask import Blueprint, jsonify, render_template

from consult.extensions import db, limiter

bp = Blueprint("core", __name__)


@bp.get("/healthz")
@limiter.exempt
def check_health():
    try:
        db.session.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError:
        db.session.rollback()
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(status="ok", database="ok")


@bp.get("/accessibility")
def show_accessibility_statement():
    return render_template("core/accessibility_view.html")
