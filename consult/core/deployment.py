"""How the application meets its server: proxies, arrival stamps, headers, logs, warnings."""

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from config import NO_REDIS_CONSEQUENCE
from consult.core.request_log import register_request_log
from consult.core.request_time import ArrivalStamp
from consult.core.security import register_security_headers


def prepare_for_deployment(app: Flask) -> None:
    proxies = app.config.get("TRUSTED_PROXIES", 0)
    if proxies:
        # The client's address and the scheme only. The host comes from the Host header that
        # nginx sets (and its default server refuses unknown hosts): a proxy that did not set
        # X-Forwarded-Host would let a client choose the host of password-reset links.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)
    # Outermost, so the stamp is taken before anything else runs.
    app.wsgi_app = ArrivalStamp(app.wsgi_app, trust_proxy_stamp=proxies > 0)
    register_security_headers(app)
    register_request_log(app)
    if app.config.get("CONSULT_ENV") == "production" and not app.config.get("REDIS_URL"):
        app.logger.warning("Running without REDIS_URL (ALLOW_NO_REDIS is set): %s.", NO_REDIS_CONSEQUENCE)
