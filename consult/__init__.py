"""Consult: public consultation of draft documents."""

import importlib

from flask import Flask

from config import INSTANCE_DIR, Config, config_from_environment


def create_app(config: Config | type[Config] | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_path=str(INSTANCE_DIR),
        template_folder="../templates",
        static_folder="../static",
    )
    app.config.from_object(config or config_from_environment())
    from consult.core.inputs import BoundedIntegerConverter, TextConverter, TextPathConverter, clean_query

    # Before any rule is added: every <int:...> is bounded to the database's integer and no path part
    # holds a control character (404 instead of a query the database refuses).
    app.url_map.converters["int"] = BoundedIntegerConverter
    app.url_map.converters.update(default=TextConverter, string=TextConverter, path=TextPathConverter)
    app.before_request(clean_query)  # first of all: no hook or view reads a control character

    from consult.core.i18n import select_locale, select_timezone
    from consult.extensions import babel, compress, csrf, db, limiter, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(app.root_path + "/../migrations"))
    csrf.init_app(app)
    login_manager.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    limiter.init_app(app)
    compress.init_app(app)

    # Every table must be on the metadata before Alembic or create_all looks at it.
    importlib.import_module("consult.models")
    # A module's view files share its blueprint; importing them registers their routes.
    importlib.import_module("consult.accounts.organisation_views")
    importlib.import_module("consult.accounts.two_factor_views")
    importlib.import_module("consult.consultations.manage_views")
    importlib.import_module("consult.consultations.outreach_views")
    importlib.import_module("consult.notifications.announce_views")
    importlib.import_module("consult.moderation.traceability_views")
    importlib.import_module("consult.reports.manage_views")
    from consult.accounts.views import bp as accounts_bp
    from consult.accounts.views import load_user
    from consult.analysis.views import bp as analysis_bp
    from consult.api.views import bp as api_bp
    from consult.attachments.views import bp as attachments_bp
    from consult.channels.views import bp as channels_bp
    from consult.comments.views import bp as comments_bp
    from consult.consultations.views import bp as consultations_bp
    from consult.core.views import bp as core_bp
    from consult.drafts.views import bp as drafts_bp
    from consult.moderation.views import bp as moderation_bp
    from consult.notifications.views import bp as notifications_bp
    from consult.reports.views import bp as reports_bp
    from consult.search.views import bp as search_bp

    login_manager.user_loader(load_user)
    login_manager.login_view = "accounts.log_in"
    for blueprint in (
        core_bp,
        accounts_bp,
        consultations_bp,
        drafts_bp,
        comments_bp,
        attachments_bp,
        channels_bp,
        moderation_bp,
        api_bp,
        reports_bp,
        notifications_bp,
        analysis_bp,
        search_bp,
    ):
        app.register_blueprint(blueprint)
    csrf.exempt(api_bp)

    from consult.cli import register_commands
    from consult.core.deployment import prepare_for_deployment
    from consult.core.errors_handlers import register_error_handlers
    from consult.core.templating import register_template_helpers

    register_error_handlers(app)
    register_template_helpers(app)
    register_commands(app)
    prepare_for_deployment(app)
    return app
