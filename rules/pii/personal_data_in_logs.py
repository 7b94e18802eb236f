from __future__ import annotations

from collections.abc import Iterator

from slsreview.analysis.facts import Facts
from slsreview.analysis.memo import answer_kept
from slsreview.analysis.sensitive import describe_personal, masked
from slsreview.location import Location
from slsreview.model.project import Function, Worker
from slsreview.rule import Context, Example, Expect, Report, Rule

_TEMPLATE = (
    "AWSTemplateFormatVersion: '2010-09-09'\n"
    "Transform: AWS::Serverless-2016-10-31\n"
    "Resources:\n"
    "  CheckoutFunction:\n"
    "    Type: AWS::Serverless::Function\n"
    "    Properties:\n"
    "      Runtime: {runtime}\n"
    "      Handler: {handler}\n"
    "      CodeUri: src/\n"
    "      Events:\n"
    "        Checkout:\n"
    "          Type: HttpApi\n"
    "          Properties:\n"
    "            Path: /checkout\n"
    "            Method: POST\n"
)


class PersonalDataInLogs(Rule):
    """
    ## What it does
    Follows request and message fields whose names say they hold personal data into log calls,
    in Python and JavaScript/TypeScript alike: email addresses, phone numbers, names
    (`firstName`, `fullName`, or `name` under a person such as `customer.name`), postal
    addresses, birth dates, card numbers and security codes, bank accounts (IBAN), national ids
    (SSN, passport), IP addresses (`sourceIp`, `X-Forwarded-For`, `CF-Connecting-IP`) and
    location. The field words are in `slsreview/vocabulary/personal_data.py`. One finding per
    log call, naming every field that reaches it.

    Kept precise: a bare `name` (`body.name` is as often a product, a queue or a file),
    `username` and `userId` (identifiers services log to be debuggable), `city` or `country`
    alone are not reported; a field passed through a call whose name says it hides it
    (`mask_email(...)`, `hashlib.sha256(...)`, `redact(...)`) inside the log call is not either,
    nor what a library call made of a field (`geoip.lookup(ip).country`): the facts tell a value
    derived through a call from the value itself.
    Whole events are SLS305's, credentials SLS304's.

    ## Why is this bad?
    Logs are kept, copied and searched by people who never see the database. Personal data in
    them is outside every access control, retention period and deletion request the data
    itself is under (GDPR and similar laws apply to logs too); card numbers and security codes
    in logs break PCI DSS outright.

    ## Why this tier
    Non-blocking: it is a real weakness to fix, but logging one field is not a breach by itself,
    and what the law asks depends on the data and the place.

    ## Example
    ```python
    logger.info("checkout", extra={"email": body["email"], "card": body["cardNumber"]})
    ```

    ## Use instead
    ```python
    logger.info("checkout", extra={"order_id": order_id, "customer": customer_id})
    ```

    ## References
    - [OWASP Logging Cheat Sheet: data to exclude](https://cheatsheetseries.owasp.org/cheatsheets/Logging_Cheat_Sheet.html#data-to-exclude)
    - [OWASP Top 10 Privacy Risks](https://owasp.org/www-project-top-10-privacy-risks/)
    - [Powertools for AWS Lambda: data masking](https://docs.powertools.aws.dev/lambda/python/latest/utilities/data_masking/)
    - [Cloudflare Workers Logs](https://developers.cloudflare.com/workers/observability/logs/workers-logs/)
    """

    id = "SLS307"
    name = "personal-data-in-logs"
    category = "pii"
    tier = "non-blocking"
    title = "Personal data from the request is written to the log"
    fix = "Log an identifier (order id, customer id) instead of the person's data, or mask it first (Powertools data masking)."
    docs = ("https://cheatsheetseries.owasp.org/cheatsheets/Logging_Cheat_Sheet.html#data-to-exclude",)

    bad = [
        Example(
            {
                "template.yaml": _TEMPLATE.format(runtime="python3.13", handler="app.handler"),
                "src/app.py": (
                    "import json\nimport logging\n\nlogger = logging.getLogger()\n\n\n"
                    "def handler(event, context):\n"
                    '    body = json.loads(event["body"])\n'
                    '    logger.info("checkout %s %s", body["email"], body["cardNumber"])\n'
                    '    print("shipping to", body["shipping"]["name"], body["shipping"]["postalCode"])\n'
                    '    print("from", event["requestContext"]["http"]["sourceIp"])\n'
                    '    return {"statusCode": 202}\n'
                ),
            },
            expect=[
                Expect("src/app.py", 9, 5, "CheckoutFunction logs personal data from its input (body.email: email address; body.cardNumber: card number): the logs become a copy nobody manages"),
                Expect("src/app.py", 10, 5, "CheckoutFunction logs personal data from its input (body.shipping.name: name; body.shipping.postalCode: postal address): the logs become a copy nobody manages"),
                Expect("src/app.py", 11, 5, "CheckoutFunction logs personal data from its input (requestContext.http.sourceIp: IP address): the logs become a copy nobody manages"),
            ],
            name="python",
        ),
        Example(
            {
                "template.yaml": _TEMPLATE.format(runtime="nodejs22.x", handler="index.handler"),
                "src/index.mjs": (
                    "export const handler = async (event) => {\n"
                    "  const { customer } = JSON.parse(event.body);\n"
                    "  console.log(`new customer ${customer.firstName} ${customer.phone}`);\n"
                    "  return { statusCode: 202 };\n"
                    "};\n"
                ),
            },
            expect=[
                Expect("src/index.mjs", 3, 3, "CheckoutFunction logs personal data from its input (body.customer.firstName: name; body.customer.phone: phone number): the logs become a copy nobody manages"),
            ],
            name="javascript",
        ),
        Example(
            {
                "wrangler.toml": 'name = "checkout"\nmain = "src/index.ts"\ncompatibility_date = "2025-06-01"\n',
                "src/index.ts": (
                    "export default {\n"
                    "  async fetch(request: Request): Promise<Response> {\n"
                    "    const order = await request.json<{ email: string; iban: string }>();\n"
                    "    console.log('refund', order.iban, 'for', request.headers.get('CF-Connecting-IP'));\n"
                    "    return Response.json({ ok: true });\n"
                    "  },\n"
                    "};\n"
                ),
            },
            expect=[
                Expect("src/index.ts", 4, 5, "checkout logs personal data from its input (body.iban: bank account; headers.cf-connecting-ip: IP address): the logs become a copy nobody manages"),
            ],
            name="worker",
        ),
    ]
    good = [
        Example(
            {
                "template.yaml": _TEMPLATE.format(runtime="python3.13", handler="app.handler"),
                "src/app.py": (
                    "import hashlib\nimport json\nimport logging\n\nlogger = logging.getLogger()\n\n\n"
                    "def mask_email(email):\n"
                    '    return email[0] + "***"\n\n\n'
                    "def handler(event, context):\n"
                    '    body = json.loads(event["body"])\n'
                    '    logger.info("product %s by %s", body["name"], body["username"])\n'
                    '    logger.info("customer %s", mask_email(body["email"]))\n'
                    '    logger.info("email hash %s", hashlib.sha256(body["email"].encode()).hexdigest())\n'
                    '    logger.info("has phone: %s", "phone" in body)\n'
                    '    return {"statusCode": 202}\n'
                ),
            },
            name="python-names-usernames-masked",
        ),
        Example(
            {
                "template.yaml": _TEMPLATE.format(runtime="nodejs22.x", handler="index.handler"),
                "src/index.mjs": (
                    "export const handler = async (event) => {\n"
                    "  const body = JSON.parse(event.body);\n"
                    "  console.log('queue', body.name, 'user', body.userId, 'email length', body.email.length);\n"
                    "  return { statusCode: 202 };\n"
                    "};\n"
                ),
            },
            name="javascript-ids-and-lengths",
        ),
        Example(
            {
                "template.yaml": _TEMPLATE.format(runtime="nodejs22.x", handler="index.handler"),
                "src/index.mjs": (
                    'import geoip from "geoip-lite";\n\n'
                    "export const handler = async (event) => {\n"
                    "  const geo = geoip.lookup(event.requestContext.http.sourceIp);\n"
                    "  console.log('order from', geo?.country);\n"
                    "  return { statusCode: 202 };\n"
                    "};\n"
                ),
            },
            name="javascript-what-a-library-made-of-an-ip-address",
        ),
    ]

    def check(self, ctx: Context) -> Iterator[Report]:
        # One finding per place: two functions running one handler file share their findings.
        places: dict[Location, tuple[list[str], list[Function | Worker]]] = {}
        units: list[Function | Worker] = [*ctx.project.functions]
        units += [
            w
            for w in ctx.project.workers
            if w.env is None or not any(v.env is None and v.config.path == w.config.path and v.source.path == w.source.path for v in ctx.project.workers)
        ]
        for unit in units:
            facts = ctx.facts(unit)
            if facts is None:
                continue
            places_found: list[tuple[Location, list[str]]] = answer_kept(facts, "SLS307 places", _places)
            for loc, fields in places_found:
                found, owners = places.setdefault(loc, ([], []))
                found.extend(f for f in fields if f not in found)
                owners.append(unit)
        for loc, (fields, owners) in sorted(places.items()):
            names = sorted(u.name if isinstance(u, Function) else u.display_name for u in owners)
            joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
            verb = "logs" if len(names) == 1 else "log"
            yield Report(loc, f"{joined} {verb} personal data from its input ({'; '.join(fields)}): the logs become a copy nobody manages", subject=owners[0])


def _places(facts: Facts) -> list[tuple[Location, list[str]]]:
    places: dict[Location, list[str]] = {}
    for flow in sorted(facts.flows(source="event", sink="log"), key=lambda f: (f.source.loc, f.source.name)):
        what = describe_personal(flow.source)
        if what is None or flow.source.derived or masked(facts, flow):
            continue
        entry = f"{flow.source.name}: {what}"
        found = places.setdefault(flow.loc, [])
        if entry not in found:
            found.append(entry)
    return sorted(places.items())
