from __future__ import annotations

from collections.abc import Iterator

from slsreview.analysis.facts import Call, Facts
from slsreview.analysis.memo import answer_once
from slsreview.loaders.nodes import MapNode
from slsreview.model.project import Function, Worker
from slsreview.rule import Context, Example, Expect, Report, Rule
from slsreview.vocabulary.logs import (
    JSON_SERIALISERS,
    STRUCTURED_LOGGERS,
    STRUCTURED_LOGGING_PACKAGES,
)
from slsreview.vocabulary.spelling import Side

# Formatters that make the standard library's logging write JSON (a JSON logger package that
# is only a formatter, not a logger of its own).
_JSON_FORMATTERS = ("pythonjsonlogger", "json_log_formatter", "ecs_logging")


def _lambda(code: str, name: str = "src/app.py", runtime: str = "python3.13", logging: str = "") -> dict[str, str]:
    return {
        "template.yaml": (
            "AWSTemplateFormatVersion: '2010-09-09'\n"
            "Transform: AWS::Serverless-2016-10-31\n"
            "Resources:\n"
            "  OrdersFunction:\n"
            "    Type: AWS::Serverless::Function\n"
            "    Properties:\n"
            "      CodeUri: src/\n"
            f"      Handler: {name.rsplit('/', 1)[-1].split('.')[0]}.handler\n"
            f"      Runtime: {runtime}\n"
            "      Timeout: 10\n"
            f"{logging}"
        ),
        name: code,
    }


_JSON_FORMAT = "      LoggingConfig:\n        LogFormat: JSON\n"


def _worker(code: str) -> dict[str, str]:
    return {"wrangler.toml": 'name = "orders"\nmain = "src/index.ts"\ncompatibility_date = "2025-06-01"\n', "src/index.ts": code}


class UnstructuredLogs(Rule):
    """
    ## What it does
    Reports a function or Worker that writes plain-text log lines: `print(...)`,
    `sys.stdout.write(...)`, the standard library's `logging`, `console.log/info/warn/error(...)`,
    when nothing makes those lines JSON. A line is JSON when:

    - the logger writes JSON objects itself: Powertools' `Logger`, pino, bunyan, winston,
      structlog, lambda-log;
    - the whole line is one serialised object: `print(json.dumps({...}))`,
      `console.log(JSON.stringify({...}))`;
    - for a Lambda function, its `LoggingConfig.LogFormat` is `JSON` (set on it or in
      `Globals.Function`): Lambda then wraps what `logging` (Python) and `console` (Node.js)
      write into JSON. Not `print` and not `process.stdout.write`: those stay plain text, and are
      still reported;
    - for Python's `logging`, a JSON formatter package is imported (python-json-logger,
      json-log-formatter, ecs-logging);
    - for a Worker, the first argument is not a string (`console.log({ orderId, status })`): Workers
      Logs stores an object's fields, and the line can be filtered by them.

    Loggers the analysis cannot identify (`from utils import logger`) are left alone. One finding
    per function (one per Worker, not per environment view), on the first plain-text line,
    counting the rest.

    ## Why is this bad?
    Plain-text lines can only be searched as text. JSON lines can be filtered and aggregated by
    field ("every error for order 1234", "p95 of `durationMs` by `route`") in CloudWatch Logs
    Insights or Workers Logs, carry the request id with every line, and let an alarm or a metric
    filter match a field rather than a phrase that someone may reword.

    ## Why this tier
    Non-blocking: nothing fails; the logs are just harder to use when they are needed most.

    ## Example
    ```python
    def handler(event, context):
        print("processing order", event["id"])
    ```
    ```javascript
    console.log("processing order " + event.id);
    ```

    ## Use instead
    ```python
    from aws_lambda_powertools import Logger
    logger = Logger()

    def handler(event, context):
        logger.info("processing order", extra={"order_id": event["id"]})
    ```
    ```yaml
    Globals:
      Function:
        LoggingConfig:
          LogFormat: JSON    # console.* and logging become JSON lines
    ```

    ## References
    - [Lambda advanced logging controls: JSON log format](https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-advanced.html)
    - [Logging in Python Lambda functions (print is always plain text)](https://docs.aws.amazon.com/lambda/latest/dg/python-logging.html)
    - [Logging in Node.js Lambda functions](https://docs.aws.amazon.com/lambda/latest/dg/nodejs-logging.html)
    - [Powertools for AWS Lambda: Logger](https://docs.powertools.aws.dev/lambda/python/latest/core/logger/)
    - [Workers Logs](https://developers.cloudflare.com/workers/observability/logs/workers-logs/)
    """

    id = "SLS501"
    name = "unstructured-logs"
    category = "observability"
    tier = "non-blocking"
    title = "A function writes plain-text log lines: its logs are not JSON"
    fix = "Log JSON: set LoggingConfig.LogFormat: JSON and use logging/console, or a JSON logger (Powertools Logger, pino); in a Worker, log objects."
    docs = (
        "https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-advanced.html",
        "https://developers.cloudflare.com/workers/observability/logs/workers-logs/",
    )

    bad = [
        Example(
            _lambda(
                "import logging\n"
                "\n"
                "logger = logging.getLogger()\n"
                "\n"
                "def handler(event, context):\n"
                '    print("processing", event["id"])\n'
                '    logger.info("stored %s", event["id"])\n'
                '    logger.warning("slow")\n'
                '    return {"ok": True}\n'
            ),
            expect=[
                Expect(
                    "src/app.py",
                    6,
                    5,
                    "OrdersFunction writes plain-text log lines (print(...) here, and 2 more): its logs are not "
                    "JSON, so they cannot be filtered or counted by field",
                )
            ],
            name="python-print-and-logging",
        ),
        Example(
            _lambda(
                "export const handler = async (event) => {\n"
                "  console.log(`processing ${event.id}`);\n"
                "  return { ok: true };\n"
                "};\n",
                name="src/app.mjs",
                runtime="nodejs22.x",
            ),
            expect=[
                Expect(
                    "src/app.mjs",
                    2,
                    3,
                    "OrdersFunction writes plain-text log lines (console.log(...) here): its logs are not JSON, so "
                    "they cannot be filtered or counted by field",
                )
            ],
            name="javascript-console-log",
        ),
        Example(
            _lambda(
                "import logging\n"
                "\n"
                "def handler(event, context):\n"
                '    logging.info("stored")\n'
                '    print("done")\n',
                logging=_JSON_FORMAT,
            ),
            expect=[
                Expect(
                    "src/app.py",
                    5,
                    5,
                    "OrdersFunction writes plain-text log lines (print(...) here): print writes plain text even with "
                    "LogFormat: JSON, which wraps only logging's lines",
                )
            ],
            name="python-print-stays-plain-with-json-log-format",
        ),
        Example(
            _worker(
                "export default {\n"
                "  async fetch(request: Request): Promise<Response> {\n"
                '    console.log("order received " + request.url);\n'
                "    return new Response(null, { status: 202 });\n"
                "  },\n"
                "};\n"
            ),
            expect=[
                Expect(
                    "src/index.ts",
                    3,
                    5,
                    "orders writes plain-text log lines (console.log(...) here): its logs are not JSON, so they "
                    "cannot be filtered or counted by field",
                )
            ],
            name="worker-string-message",
        ),
    ]
    good = [
        Example(
            _lambda(
                "from aws_lambda_powertools import Logger\n"
                "\n"
                "logger = Logger()\n"
                "\n"
                "def handler(event, context):\n"
                '    logger.info("processing", extra={"order_id": event["id"]})\n'
            ),
            name="python-powertools-logger",
        ),
        Example(
            _lambda(
                "import json\n"
                "\n"
                "def handler(event, context):\n"
                '    print(json.dumps({"message": "processing", "order_id": event["id"]}))\n'
            ),
            name="python-print-of-json-dumps",
        ),
        Example(
            _lambda(
                "import logging\n\nlogger = logging.getLogger()\n\ndef handler(event, context):\n    logger.info(\"stored\")\n",
                logging=_JSON_FORMAT,
            ),
            name="python-logging-with-json-log-format",
        ),
        Example(
            _lambda(
                "export const handler = async (event) => {\n"
                '  console.log("processing", event.id);\n'
                "  console.error(new Error('x'));\n"
                "};\n",
                name="src/app.mjs",
                runtime="nodejs22.x",
                logging=_JSON_FORMAT,
            ),
            name="javascript-console-with-json-log-format",
        ),
        Example(
            _lambda(
                'import pino from "pino";\n'
                "const log = pino();\n"
                "export const handler = async (event) => {\n"
                '  log.info({ orderId: event.id }, "processing");\n'
                '  console.log(JSON.stringify({ message: "done", orderId: event.id }));\n'
                "};\n",
                name="src/app.mjs",
                runtime="nodejs22.x",
            ),
            name="javascript-pino-and-json-stringify",
        ),
        Example(
            _worker(
                "export default {\n"
                "  async fetch(request: Request): Promise<Response> {\n"
                '    console.log({ message: "order received", url: request.url });\n'
                "    return new Response(null, { status: 202 });\n"
                "  },\n"
                "};\n"
            ),
            name="worker-logs-objects",
        ),
        Example(
            _lambda(
                "from shared.logs import logger\n\ndef handler(event, context):\n    logger.info(\"processing\")\n"
            ),
            name="logger-from-an-unseen-module",
        ),
    ]

    def check_function(self, fn: Function, ctx: Context) -> Iterator[Report]:
        facts = ctx.facts(fn)
        if facts is None:
            return
        logging = fn.properties.get("LoggingConfig")
        json_format = isinstance(logging, MapNode) and logging.get("LogFormat") == "JSON"
        yield from self._report(fn, facts, json_format, worker=False)

    def check_worker(self, worker: Worker, ctx: Context) -> Iterator[Report]:
        facts = ctx.facts(worker)
        if facts is None or worker.env is not None:
            return  # environment views run the same code: one finding, on the top level
        yield from self._report(worker, facts, json_format=False, worker=True)

    def _report(self, unit: Function | Worker, facts: Facts, json_format: bool, worker: bool) -> Iterator[Report]:
        lines = answer_once(facts, f"plain_log_lines:{json_format}:{worker}", lambda: _plain_lines(facts, json_format, worker))
        if not lines:
            return
        first = lines[0]
        more = f", and {len(lines) - 1} more" if len(lines) > 1 else ""
        name = unit.name if isinstance(unit, Function) else unit.display_name
        shown = _shown(first)
        if json_format and first.attr("logger") in ("print", "stdout"):
            why = f"{shown.split('(')[0]} writes plain text even with LogFormat: JSON, which wraps only logging's lines"
            if facts.main is not None and facts.main.language != "python":
                why = f"{shown.split('(')[0]} writes plain text even with LogFormat: JSON"
        else:
            why = "its logs are not JSON, so they cannot be filtered or counted by field"
        yield Report(first.loc, f"{name} writes plain-text log lines ({shown} here{more}): {why}")


def _plain_lines(facts: Facts, json_format: bool, worker: bool) -> list[Call]:
    imported = {imp.module.split(".", 1)[0] for file in facts.files for imp in file.imports}
    imported |= {imp.module for file in facts.files for imp in file.imports}
    json_formatter = any(m in imported for m in _JSON_FORMATTERS)
    order = {file.path: index for index, file in enumerate(facts.files)}
    out = []
    for call in facts.calls("log"):
        logger = call.attr("logger")
        python = call.loc.path.endswith(".py") or logger in ("print", "stdout", "logging")
        language: Side = "python" if python else "javascript"
        if logger in STRUCTURED_LOGGERS or call.callee.split(".", 1)[0] in STRUCTURED_LOGGING_PACKAGES[language]:
            continue
        if any(call.callee.startswith(p) for p in STRUCTURED_LOGGING_PACKAGES[language]):
            continue
        if len(call.args) == 1 and call.args[0].text.startswith(JSON_SERIALISERS[language]):
            continue
        if logger in ("print", "stdout"):
            out.append(call)
        elif logger == "logging" and call.callee.startswith("logging."):
            if not (json_format or json_formatter):
                out.append(call)
        elif logger == "console":
            if json_format:
                continue
            if worker and call.args and not _is_text(call.args[0].text):
                continue  # an object (or a value) logged: Workers Logs keeps its fields
            out.append(call)
    out.sort(key=lambda c: (order.get(c.loc.path, len(order)), c.loc.line, c.loc.column))
    return out


def _is_text(text: str) -> bool:
    return text[:1] in ("'", '"', "`") or text.startswith(("String(", "'", '"'))


def _shown(call: Call) -> str:
    callee = call.callee
    if callee.startswith("logging.getLogger."):
        callee = "logger." + callee.rsplit(".", 1)[-1]
    return f"{callee}(...)"
