"""What every migration's frozen DDL is declared with: a private ``MetaData`` per migration, named
as the store's metadata names constraints. Frozen: changing this changes what old migrations
create, so it never changes (a new convention would get a migration of its own)."""

from sqlalchemy import Column, MetaData, String, Table

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def frozen_metadata(*existing: str) -> MetaData:
    """A fresh ``MetaData``; ``existing`` names tables an earlier migration made (``id`` keyed by a
    32-character string), declared only so foreign keys to them resolve, never created here."""
    md = MetaData(naming_convention=NAMING_CONVENTION)
    for name in existing:
        Table(name, md, Column("id", String(32), primary_key=True))
    return md
