import importlib

import pytest


def test_production_refuses_to_start_without_a_secret_key(monkeypatch):
    import config

    monkeypatch.setenv("CONSULT_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("DATABASE_URL", "postgresql://db/consult")
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        config.config_from_environment()


def test_development_generates_a_secret_key_once_and_keeps_it(monkeypatch, tmp_path):
    monkeypatch.setenv("CONSULT_INSTANCE_DIR", str(tmp_path))
    monkeypatch.delenv("SECRET_KEY", raising=False)
    import config

    try:
        first = importlib.reload(config).DevelopmentConfig.SECRET_KEY
        second = importlib.reload(config).DevelopmentConfig.SECRET_KEY
        assert first == second and len(first) >= 32
        assert (tmp_path / "secret_key").read_text().strip() == first
    finally:
        monkeypatch.undo()
        importlib.reload(config)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
        ("sqlite:////tmp/x.sqlite", "sqlite:////tmp/x.sqlite"),
    ],
)
def test_database_url_names_the_driver(monkeypatch, given, expected):
    import config

    monkeypatch.setenv("DATABASE_URL", given)
    assert config._database_url("sqlite://") == expected


@pytest.mark.parametrize(
    ("mail_env", "starts"),
    [
        ({}, False),
        ({"MAIL_BACKEND": "smtp"}, False),
        ({"MAIL_BACKEND": "memory"}, False),
        ({"MAIL_BACKEND": "file"}, True),
        ({"MAIL_SERVER": "smtp.example.org"}, True),
    ],
)
def test_production_refuses_to_start_without_a_way_to_send_mail(monkeypatch, mail_env, starts):
    import config

    monkeypatch.setenv("CONSULT_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("DATABASE_URL", "postgresql://db/consult")
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    for name in ("MAIL_SERVER", "MAIL_BACKEND"):
        monkeypatch.delenv(name, raising=False)
    for name, value in mail_env.items():
        monkeypatch.setenv(name, value)
    if starts:
        assert config.config_from_environment().SECRET_KEY == "x" * 40
    else:
        with pytest.raises(RuntimeError, match="MAIL_SERVER.*MAIL_BACKEND=file"):
            config.config_from_environment()


def test_development_without_a_mail_server_writes_files(monkeypatch):
    import config
    from consult import create_app
    from consult.core.mail import backend_name

    monkeypatch.delenv("CONSULT_ENV", raising=False)

    class Development(config.DevelopmentConfig):
        MAIL_SERVER = None
        MAIL_BACKEND = None
        SQLALCHEMY_DATABASE_URI = "sqlite://"

    with create_app(Development).app_context():
        assert backend_name() == "file"
