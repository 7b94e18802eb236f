"""SQL drivers: the calls that run a statement on PostgreSQL or MySQL from a Lambda function or
a Worker (Hyperdrive hands Workers the same drivers).

A statement run is the ``Call`` named ``sql.exec`` (``SQL_EXEC``) whose first argument is the
statement and whose other arguments are the values bound to it (a parameter tuple or array, or
a tagged template's interpolations); ``attrs["sql"]`` is the statement when it is literal (a
tagged template's text with ``$1``, ``$2``... for its interpolations) and ``attrs["driver"]`` the
database (a ``DATABASES`` key). The AWS RDS Data API (``aws.rds-data.ExecuteStatement``) and
Cloudflare D1 (``cf.d1.exec``) run SQL as well; ``STATEMENT_CALLS`` says where each keeps it.

    >>> PYTHON_CONNECT["psycopg2.connect"], JAVASCRIPT_CONNECT["mysql2/promise.createPool"]
    ('postgresql', 'mysql')
    >>> DATABASES["postgresql"], JAVASCRIPT_TAGGED["postgres"]
    ('PostgreSQL', 'postgresql')
"""

from __future__ import annotations

SQL_EXEC = "sql.exec"

# The stores a statement writes to, as a finding names them ("inserts into PostgreSQL")
DATABASES = {"postgresql": "PostgreSQL", "mysql": "MySQL", "d1": "D1", "aurora": "the database"}
UNKNOWN_DATABASE = "the database"

# Where each SQL-running call keeps its statement and its bound values: (call name, the kwarg
# holding the statement or None for the first argument, the kwarg holding the values or None for
# the arguments after the statement, the database)
STATEMENT_CALLS: dict[str, tuple[str | None, str | None, str | None]] = {
    SQL_EXEC: (None, None, None),  # the database is the call's attrs["driver"]
    "cf.d1.exec": (None, None, "d1"),
    "aws.rds-data.ExecuteStatement": ("sql", "parameters", "aurora"),
    "aws.rds-data.BatchExecuteStatement": ("sql", "parameterSets", "aurora"),
}

# -- Python ------------------------------------------------------------------------------------
# Functions and classes that open a connection (or a pool of them) -> database. A connection's
# cursor() is a cursor; execute/executemany on either runs a statement (psycopg 3 connections
# execute directly; psycopg2's and PyMySQL's only through a cursor, which is harmless to accept).
PYTHON_CONNECT = {
    "psycopg2.connect": "postgresql",
    "psycopg2.pool.SimpleConnectionPool": "postgresql",
    "psycopg2.pool.ThreadedConnectionPool": "postgresql",
    "psycopg.connect": "postgresql",
    "psycopg.Connection.connect": "postgresql",
    "psycopg.AsyncConnection.connect": "postgresql",
    "psycopg_pool.ConnectionPool": "postgresql",
    "psycopg_pool.AsyncConnectionPool": "postgresql",
    # Aurora DSQL's connectors: a psycopg connection that signs in with IAM
    "aurora_dsql_psycopg2.connect": "postgresql",
    "aurora_dsql_psycopg.connect": "postgresql",
    "pymysql.connect": "mysql",
    "pymysql.Connect": "mysql",
    "pymysql.connections.Connection": "mysql",
}
# Methods of a connection or pool that give a connection or cursor of the same database
PYTHON_CONNECTION_METHODS = frozenset({"cursor", "getconn", "connection"})
PYTHON_EXECUTE_METHODS = frozenset({"execute", "executemany"})

# -- JavaScript --------------------------------------------------------------------------------
# Constructors of a client or pool -> database (`new Pool()`, `new pg.Client()`)
JAVASCRIPT_CLIENTS = {
    "pg.Client": "postgresql",
    "pg.Pool": "postgresql",
    "pg.default.Client": "postgresql",
    "pg.default.Pool": "postgresql",
    "@neondatabase/serverless.Client": "postgresql",
    "@neondatabase/serverless.Pool": "postgresql",
}
# Functions that make a connection or pool -> database
JAVASCRIPT_CONNECT = {
    "mysql2.createConnection": "mysql",
    "mysql2.createPool": "mysql",
    "mysql2/promise.createConnection": "mysql",
    "mysql2/promise.createPool": "mysql",
}
# Functions that make a tagged-template query function -> database: sql`INSERT ... ${v}`
JAVASCRIPT_TAGGED = {
    "postgres": "postgresql",
    "postgres.default": "postgresql",
    "@neondatabase/serverless.neon": "postgresql",
}
# Methods of a connection or pool that give a connection of the same database
JAVASCRIPT_CONNECTION_METHODS = frozenset({"connect", "getConnection"})
# Methods that run a statement: query(text, values), query({ text, values }), execute(sql, values)
JAVASCRIPT_EXECUTE_METHODS = frozenset({"query", "execute"})
# The properties of a query config object: { text, values } (pg), { sql, values } (mysql2)
JAVASCRIPT_QUERY_TEXT = ("text", "sql")
JAVASCRIPT_QUERY_VALUES = "values"
