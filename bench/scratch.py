"""A scratch PostgreSQL database for benchmarks that build their own data and throw it away.

Local only (127.0.0.1:5432, user ``postgres`` without a password, as on the development and CI
machines); the database named is dropped first if a previous run left it behind.
"""

from __future__ import annotations

import psycopg
from psycopg import sql

PG_HOST, PG_PORT, PG_USER = "127.0.0.1", 5432, "postgres"


def url(name: str) -> str:
    return f"postgres://{PG_USER}@{PG_HOST}:{PG_PORT}/{name}"


def _admin() -> psycopg.Connection:
    return psycopg.connect(
        host=PG_HOST, port=PG_PORT, user=PG_USER, dbname="postgres", autocommit=True
    )


def drop(name: str) -> None:
    with _admin() as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def create(name: str) -> None:
    drop(name)
    with _admin() as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
