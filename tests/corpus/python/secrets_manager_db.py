"""Reads database credentials from Secrets Manager once per container and queries Postgres."""
import json
import os

import boto3
import psycopg2

secrets = boto3.client("secretsmanager")
SECRET_ID = os.environ.get("DB_SECRET_ID", "prod/reporting/db")

_connection = None


def get_connection():
    global _connection
    if _connection is None or _connection.closed:
        secret = json.loads(secrets.get_secret_value(SecretId=SECRET_ID)["SecretString"])
        _connection = psycopg2.connect(
            host=secret["host"],
            port=secret.get("port", 5432),
            dbname=secret["dbname"],
            user=secret["username"],
            password=secret["password"],
            connect_timeout=5,
        )
    return _connection


def handler(event, context):
    days = int((event.get("queryStringParameters") or {}).get("days", "7"))
    conn = get_connection()
    with conn.cursor() as cur:
        cur.execute(
            "SELECT date_trunc('day', created_at) AS d, count(*) FROM signups "
            "WHERE created_at > now() - (%s || ' days')::interval GROUP BY 1 ORDER BY 1",
            (days,),
        )
        rows = [{"day": d.isoformat(), "count": n} for d, n in cur.fetchall()]
    return {"statusCode": 200, "body": json.dumps({"days": days, "rows": rows})}
