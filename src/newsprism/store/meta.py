"""The one SQLAlchemy ``MetaData`` every newsprism table is declared on.

Each pipeline stage declares its own tables in its own module (``newsprism.store.tables`` for
articles, ``newsprism.reuse.tables`` ...) on this metadata; named migrations create them.
"""

from sqlalchemy import MetaData

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)
