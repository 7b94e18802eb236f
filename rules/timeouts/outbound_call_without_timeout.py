from __future__ import annotations

from collections.abc import Iterator

from slsreview.analysis.facts import Call, Facts
from slsreview.analysis.memo import answer_kept
from slsreview.model.project import Function, known
from slsreview.rule import Context, Example, Expect, Report, Rule

# How to bound a call, per client (Call.attr("client")).
_HOW = {
    "requests": "pass timeout=(3.05, N) on every call (a requests Session has no default timeout)",
    "urllib": "pass timeout=N to urlopen",
    "urllib3": "pass timeout=urllib3.Timeout(...) to the PoolManager or the call",
    "http.client": "pass timeout=N to HTTPSConnection(...)",
    "aiohttp": "give the session a ClientTimeout(total=N)",
    "httpx": "leave httpx's 5 s default on or pass timeout=N",
    "fetch": "pass signal: AbortSignal.timeout(ms)",
    "undici": "set headersTimeout and bodyTimeout",
    "axios": "set timeout (ms) on the call or on axios.create",
    "got": "set timeout: {request: ms}",
    "https": "pass a timeout option and handle the 'timeout' event (req.destroy())",
}


def _template(timeout: int, handler: str, runtime: str = "python3.13") -> str:
    return (
        "AWSTemplateFormatVersion: '2010-09-09'\n"
        "Transform: AWS::Serverless-2016-10-31\n"
        "Resources:\n"
        "  QuoteFunction:\n"
        "    Type: AWS::Serverless::Function\n"
        "    Properties:\n"
        "      CodeUri: src/\n"
        f"      Handler: {handler}\n"
        f"      Runtime: {runtime}\n"
        f"      Timeout: {timeout}\n"
    )


class OutboundCallWithoutTimeout(Rule):
    """
    ## What it does
    Reports an HTTP request made by a Lambda handler (or a local module it imports) that can wait
    longer than the function may run:

    - no timeout at all: `requests`, `urllib.request.urlopen`, `urllib3` without `timeout`; `fetch`
      without a `signal`; `axios` without `timeout` (on the call or its `axios.create` instance);
      `got`, `undici`, Node's `https`; a timeout switched off (`timeout=None`, `timeout: 0`);
    - a timeout as long as or longer than the function's own (a 60 s HTTP timeout in a 10 s
      function), including a library default that is too long (aiohttp's 300 s).

    `httpx` has a 5 s default and is not reported unless that default outlasts the function;
    boto3 and the AWS SDKs have their own timeouts and retries and are not HTTP requests here. One
    finding per call site, naming every function whose code reaches it.

    Cloudflare Workers are not checked: a Worker is billed for CPU time, not for waiting, and the
    runtime cancels a request's outstanding subrequests when the client goes away, so an
    unbounded `fetch` there costs neither money nor a stuck invocation the way it does in Lambda.

    ## Why is this bad?
    A server that accepts the connection and never answers holds the function until Lambda kills
    it: the invocation fails with "Task timed out" instead of the error the code would have
    handled (a retry, a fallback, a clear message), the caller waits the whole time, and every
    second is billed. A timeout longer than the function's has the same effect: the function dies
    first.

    ## Why this tier
    Non-blocking: nothing goes wrong while the dependency is healthy; the failure it prepares is
    slow, expensive and unhandled, and it should be fixed before the dependency has a bad day.

    ## Example
    ```python
    def handler(event, context):
        reply = requests.post(RATES_URL, json=event)        # waits forever
    ```
    ```javascript
    const reply = await fetch(RATES_URL, { method: "POST" }); // no signal
    ```

    ## Use instead
    ```python
    reply = requests.post(RATES_URL, json=event, timeout=(3.05, 5))
    ```
    ```javascript
    const reply = await fetch(RATES_URL, { method: "POST", signal: AbortSignal.timeout(5000) });
    ```

    ## References
    - [Lambda function timeout](https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html)
    - [requests: timeouts](https://requests.readthedocs.io/en/latest/user/advanced/#timeouts)
    - [AbortSignal.timeout()](https://developer.mozilla.org/en-US/docs/Web/API/AbortSignal/timeout_static)
    - [httpx: timeouts](https://www.python-httpx.org/advanced/timeouts/)
    - [Workers limits: duration and subrequests](https://developers.cloudflare.com/workers/platform/limits/)
    """

    id = "SLS404"
    name = "outbound-call-without-timeout"
    category = "timeouts"
    tier = "non-blocking"
    platforms = ("aws-lambda",)
    title = "An outbound HTTP call can wait longer than the function may run"
    fix = "Give the call a timeout well below the function's Timeout, and handle the timeout error."
    docs = (
        "https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html",
        "https://requests.readthedocs.io/en/latest/user/advanced/#timeouts",
    )

    bad = [
        Example(
            {
                "template.yaml": _template(10, "quote.handler"),
                "src/quote.py": (
                    "import requests\n"
                    "\n"
                    "def handler(event, context):\n"
                    '    reply = requests.post("https://rates.example.com/v1/quote", json={"sku": event["sku"]})\n'
                    "    return reply.json()\n"
                ),
            },
            expect=[
                Expect(
                    "src/quote.py",
                    4,
                    13,
                    "requests.post(...) sets no timeout: if the server stops answering, QuoteFunction waits "
                    "until Lambda ends it at 10 s and the failure is never handled",
                )
            ],
            name="python-requests-without-timeout",
        ),
        Example(
            {
                "template.yaml": _template(10, "quote.handler", "nodejs22.x"),
                "src/quote.mjs": (
                    "export const handler = async (event) => {\n"
                    '  const reply = await fetch("https://rates.example.com/v1/quote", { method: "POST", body: event.body });\n'
                    "  return { statusCode: 200, body: await reply.text() };\n"
                    "};\n"
                ),
            },
            expect=[
                Expect(
                    "src/quote.mjs",
                    2,
                    23,
                    "fetch(...) sets no timeout: if the server stops answering, QuoteFunction waits until "
                    "Lambda ends it at 10 s and the failure is never handled",
                )
            ],
            name="javascript-fetch-without-signal",
        ),
        Example(
            {
                "template.yaml": _template(10, "quote.handler"),
                "src/quote.py": (
                    "import requests\n"
                    "\n"
                    "def handler(event, context):\n"
                    '    return requests.get("https://rates.example.com/v1/quote", timeout=60).json()\n'
                ),
            },
            expect=[
                Expect(
                    "src/quote.py",
                    4,
                    12,
                    "requests.get(...) may wait 60 s, at least QuoteFunction's whole 10 s timeout: Lambda ends "
                    "the function before the call gives up, and the failure is never handled",
                )
            ],
            name="python-timeout-longer-than-the-function",
        ),
        Example(
            {
                "template.yaml": _template(10, "quote.handler", "nodejs22.x"),
                "src/quote.mjs": (
                    'import axios from "axios";\n'
                    "\n"
                    'const rates = axios.create({ baseURL: "https://rates.example.com", timeout: 30000 });\n'
                    "\n"
                    "export const handler = async (event) => {\n"
                    '  const { data } = await rates.get("/v1/quote");\n'
                    "  return data;\n"
                    "};\n"
                ),
            },
            expect=[
                Expect(
                    "src/quote.mjs",
                    6,
                    26,
                    "axios.get(...) may wait 30 s, at least QuoteFunction's whole 10 s timeout: Lambda ends the "
                    "function before the call gives up, and the failure is never handled",
                )
            ],
            name="javascript-instance-timeout-longer-than-the-function",
        ),
        Example(
            {
                "template.yaml": _template(10, "quote.handler"),
                "src/quote.py": (
                    "import httpx\n"
                    "\n"
                    "def handler(event, context):\n"
                    '    return httpx.get("https://rates.example.com/v1/quote", timeout=None).json()\n'
                ),
            },
            expect=[
                Expect(
                    "src/quote.py",
                    4,
                    12,
                    "httpx.get(...) turns its timeout off (timeout=None): if the server stops answering, "
                    "QuoteFunction waits until Lambda ends it at 10 s and the failure is never handled",
                )
            ],
            name="python-timeout-switched-off",
        ),
        Example(
            {
                "template.yaml": _template(10, "quote.handler"),
                "src/quote.py": (
                    "import http.client\n"
                    "\n"
                    "def handler(event, context):\n"
                    '    conn = http.client.HTTPSConnection("rates.example.com")\n'
                    '    conn.request("GET", "/v1/quote")\n'
                    "    return conn.getresponse().read()\n"
                ),
            },
            expect=[
                Expect(
                    "src/quote.py",
                    5,
                    5,
                    "http.client.HTTPSConnection.request(...) sets no timeout: if the server stops answering, "
                    "QuoteFunction waits until Lambda ends it at 10 s and the failure is never handled",
                )
            ],
            name="python-standard-library-connection",
        ),
    ]
    good = [
        Example(
            {
                "template.yaml": _template(10, "quote.handler"),
                "src/quote.py": (
                    "import boto3\n"
                    "import httpx\n"
                    "import requests\n"
                    "\n"
                    'table = boto3.resource("dynamodb").Table("quotes")\n'
                    "\n"
                    "def handler(event, context):\n"
                    '    rates = httpx.get("https://rates.example.com/v1/rates").json()  # httpx: 5 s default\n'
                    '    quote = requests.post("https://quotes.example.com/v1", json=rates, timeout=(3.05, 5))\n'
                    '    table.put_item(Item={"pk": event["id"], "quote": quote.text})\n'
                ),
            },
            name="python-bounded-calls-and-boto3",
        ),
        Example(
            {
                "template.yaml": _template(10, "quote.handler", "nodejs22.x"),
                "src/quote.mjs": (
                    "export const handler = async (event) => {\n"
                    '  const reply = await fetch("https://rates.example.com/v1/quote", { signal: AbortSignal.timeout(5000) });\n'
                    "  return { statusCode: 200, body: await reply.text() };\n"
                    "};\n"
                ),
            },
            name="javascript-fetch-with-signal",
        ),
        Example(
            {
                "wrangler.toml": 'name = "quotes"\nmain = "src/index.ts"\ncompatibility_date = "2025-06-01"\n',
                "src/index.ts": (
                    "export default {\n"
                    "  async fetch(request: Request): Promise<Response> {\n"
                    '    return fetch("https://rates.example.com/v1/quote");\n'
                    "  },\n"
                    "};\n"
                ),
            },
            name="workers-subrequests-are-not-lambda-time",
        ),
    ]

    def check(self, ctx: Context) -> Iterator[Report]:
        sites: dict[object, tuple[Call, list[Function]]] = {}
        for fn in ctx.project.functions:
            facts = ctx.facts(fn)
            if facts is None:
                continue
            requests: list[Call] = answer_kept(facts, "http.request calls", _requests)
            for call in requests:
                sites.setdefault(call.loc, (call, []))[1].append(fn)
        for call, functions in sites.values():
            report = _report(call, functions)
            if report is not None:
                yield report


def _requests(facts: Facts) -> list[Call]:
    return facts.calls("http.request")


def _report(call: Call, functions: list[Function]) -> Report | None:
    how = _HOW.get(str(call.attr("client")), "give it a timeout")
    what = f"{call.callee}(...)"
    limits = [fn.timeout.value for fn in functions if known(fn.timeout.value) and isinstance(fn.timeout.value, (int, float))]
    names = _names(functions)
    subject = functions[0] if len(functions) == 1 else None
    if not call.attr("has_timeout"):
        off = _switched_off(call)
        until = f"at {_s(min(limits))} s" if limits else "at its timeout"
        them = "it" if len(functions) == 1 else "them"
        wait = "waits" if len(functions) == 1 else "wait"
        start = f"{what} turns its timeout off ({off})" if off else f"{what} sets no timeout"
        return Report(
            call,
            f"{start}: if the server stops answering, {names} {wait} until Lambda ends {them} {until} "
            "and the failure is never handled",
            fix=f"Bound the call: {how}, well below the function's Timeout.",
            subject=subject,
        )
    seconds = call.attr("timeout_seconds")
    if not isinstance(seconds, (int, float)) or not limits:
        return None
    short = [fn for fn in functions if isinstance(fn.timeout.value, (int, float)) and seconds >= fn.timeout.value]
    if not short:
        return None
    shortest = min(fn.timeout.value for fn in short)
    whose = f"{_names(short)}'s" if len(short) == 1 else f"the {_names(short)} functions'"
    return Report(
        call,
        f"{what} may wait {_s(seconds)} s, at least {whose} whole {_s(shortest)} s timeout: Lambda ends the "
        "function before the call gives up, and the failure is never handled",
        fix=f"Make the call's timeout clearly shorter than the function's {_s(shortest)} s, or raise the function's Timeout.",
        subject=short[0] if len(short) == 1 else None,
    )


def _switched_off(call: Call) -> str | None:
    for key in ("timeout",):
        value = call.kwarg(key)
        if value is not None and value.is_literal and value.literal in (None, 0):
            return f"{key}={value.text}" if call.loc.path.endswith(".py") else f"{key}: {value.text}"
    return None


def _names(functions: list[Function]) -> str:
    names = sorted(fn.name for fn in functions)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _s(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"
