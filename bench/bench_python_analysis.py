"""How much the Python analyzer costs on top of libcst's parse.

    python bench/bench_python_analysis.py                  # 300 generated handler files
    python bench/bench_python_analysis.py path/to/folder   # every *.py file under a folder
    python bench/bench_python_analysis.py /work/sp --match /src/   # only paths containing /src/
    python bench/bench_python_analysis.py --files 600 --repeat 5

Each round times ``libcst.parse_module`` over all files, then the full ``analyze_python``
(which parses once itself) over the same files, back to back so that both see the same load on
the machine. Reported: the best time of each over ``--repeat`` rounds, and the median of the
per-round ratios full/parse. The target is a ratio of at most 2.
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import libcst

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from slsreview.analysis.python import analyze_python

# Building blocks of the generated corpus: the shapes real Lambda and Workers handlers have.
_HEADER = '''"""Order service handler {n}."""
import json
import logging
import os
import time
import uuid

import boto3
import requests
from botocore.exceptions import ClientError

logger = logging.getLogger(__name__)
logger.setLevel(os.environ.get("LOG_LEVEL", "INFO"))

TABLE_NAME = os.environ["TABLE_NAME"]
QUEUE_URL = os.environ.get("QUEUE_URL", "")
dynamodb = boto3.resource("dynamodb")
table = dynamodb.Table(TABLE_NAME)
sqs = boto3.client("sqs")
secrets = boto3.client("secretsmanager")
_cache = {{}}
'''

_BLOCKS = [
    '''

def get_secret_{i}(name):
    if name in _cache:
        return _cache[name]
    value = secrets.get_secret_value(SecretId=name)["SecretString"]
    _cache[name] = value
    return value
''',
    '''

def save_order_{i}(order, request_id):
    item = {{
        "pk": f"ORDER#{{order['id']}}",
        "sk": str(uuid.uuid4()),
        "created": int(time.time()),
        "request": request_id,
        **order,
    }}
    try:
        table.put_item(Item=item, ConditionExpression="attribute_not_exists(pk)")
    except ClientError as exc:
        if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
            logger.warning("duplicate order %s", order["id"])
            return False
        raise
    return True
''',
    '''

def notify_{i}(order):
    payload = json.dumps({{"type": "order.created", "order": order}})
    response = requests.post(
        "https://hooks.example.com/orders",
        data=payload,
        headers={{"Content-Type": "application/json"}},
        timeout=5,
    )
    if response.status_code != 200:
        logger.error("webhook failed: %s %s", response.status_code, response.text)
    return response.ok
''',
    '''

def handler_{i}(event, context):
    logger.info("received %s", json.dumps(event))
    failures = []
    for record in event.get("Records", []):
        try:
            body = json.loads(record["body"])
            if not save_order_{i}(body, record["messageId"]):
                continue
            sqs.send_message(QueueUrl=QUEUE_URL, MessageBody=json.dumps(body))
        except Exception as exc:  # noqa: BLE001
            logger.exception("record %s failed: %s", record["messageId"], exc)
            failures.append({{"itemIdentifier": record["messageId"]}})
    return {{"batchItemFailures": failures}}
''',
    '''

def api_{i}(event, context):
    method = event.get("httpMethod", "GET")
    headers = event.get("headers") or {{}}
    if headers.get("x-api-key") != get_secret_{i}("prod/api-key"):
        return {{"statusCode": 401, "body": json.dumps({{"error": "unauthorized"}})}}
    if method == "POST":
        try:
            order = json.loads(event["body"] or "{{}}")
        except json.JSONDecodeError:
            return {{"statusCode": 400, "body": json.dumps({{"error": "invalid json"}})}}
        order_id = event["pathParameters"]["id"] if event.get("pathParameters") else str(uuid.uuid4())
        order["id"] = order_id
        save_order_{i}(order, context.aws_request_id)
        notify_{i}(order)
        return {{
            "statusCode": 201,
            "headers": {{"Content-Type": "application/json"}},
            "body": json.dumps({{"id": order_id, "status": "created"}}),
        }}
    result = table.get_item(Key={{"pk": f"ORDER#{{event['pathParameters']['id']}}"}})
    return {{"statusCode": 200, "body": json.dumps(result.get("Item", {{}}), default=str)}}
''',
]


def generated_corpus(count: int, seed: int = 7) -> list[str]:
    """``count`` handler modules of 3 to 12 blocks each (roughly 3 to 15 kB)."""
    rng = random.Random(seed)
    texts = []
    for n in range(count):
        parts = [_HEADER.format(n=n)]
        for i in range(rng.randint(3, 12)):
            parts.append(rng.choice(_BLOCKS).format(i=i))
        texts.append("".join(parts))
    return texts


def folder_corpus(folder: str, match: str = "") -> list[str]:
    texts = []
    for path in sorted(Path(folder).rglob("*.py")):
        if match not in path.as_posix():
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        try:
            libcst.parse_module(text)
        except Exception:
            continue
        texts.append(text)
    return texts


def timed(run: Callable[[], None]) -> float:
    gc.collect()
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", nargs="?", help="analyse the *.py files under this folder")
    parser.add_argument("--match", default="", help="only files whose path contains this")
    parser.add_argument("--files", type=int, default=300, help="generated files (no folder given)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    texts = folder_corpus(args.folder, args.match) if args.folder else generated_corpus(args.files)
    size = sum(len(t.encode("utf-8")) for t in texts)

    def parse_all() -> None:
        for text in texts:
            libcst.parse_module(text)

    def analyse_all() -> None:
        for text in texts:
            analyze_python("bench.py", text)

    analyse_all()  # warm up imports and caches once
    rounds = [(timed(parse_all), timed(analyse_all)) for _ in range(args.repeat)]
    parse = min(p for p, _ in rounds)
    full = min(f for _, f in rounds)
    ratio = statistics.median(f / p for p, f in rounds)
    print(f"files: {len(texts)}   size: {size / 1e6:.2f} MB   rounds: {args.repeat}")
    print(f"libcst.parse_module: {parse:.3f} s  ({size / 1e6 / parse:.2f} MB/s)")
    print(f"analyze_python:      {full:.3f} s  ({size / 1e6 / full:.2f} MB/s)")
    print(f"ratio full/parse:    {ratio:.2f}  median per round (target <= 2.0)")


if __name__ == "__main__":
    main()
