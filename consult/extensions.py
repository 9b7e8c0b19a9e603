"""Flask extensions, created unbound and initialised in :func:`consult.create_app`."""

from typing import TYPE_CHECKING

from flask_babel import Babel
from flask_babel import lazy_gettext as _l
from flask_compress import Compress
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# Named constraints make Alembic migrations reproducible and let SQLite batch
# migrations drop or alter a constraint by name.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)

# The base class of every table. At run time it is db.Model (Base with Flask-SQLAlchemy's
# table naming and session binding added); to a type checker, which cannot follow a class made
# at run time, it is the typed declarative Base itself, so Mapped[...] columns type-check.
if TYPE_CHECKING:
    Model = Base
else:
    Model = db.Model
migrate = Migrate()
login_manager = LoginManager()
# Flask-Login flashes its own English text; ours is translated when it is flashed (str() of the
# lazy string, in the language of that request).
login_manager.login_message = _l("Please sign in to see this page.")
login_manager.localize_callback = str
csrf = CSRFProtect()
babel = Babel()
# A consultation page with thousands of comments is megabytes of HTML and a tenth of that gzipped.
compress = Compress()
limiter = Limiter(key_func=get_remote_address)
