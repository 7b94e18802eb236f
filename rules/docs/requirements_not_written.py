from __future__ import annotations

import re
from collections.abc import Iterator

from slsreview.model.project import Doc
from slsreview.rule import Context, Example, Expect, Report, Rule

# What the seed checklist's requirements row asks for ("요구사항: input, output, owner, failure
# response가 적혀 있다"), each as the words a heading or a label may use, in English and Korean.
_ITEMS: tuple[tuple[str, str, str], ...] = (
    # (item, English words, Korean words)
    ("owner", r"owners?|ownership|maintainers?|maintained by|owned by|team|contacts?|on-?call", r"담당(?:자|팀)?|소유자?|오너"),
    ("input", r"inputs?|requests?|request body|payloads?", r"입력|요청"),
    ("output", r"outputs?|responses?|returns", r"출력|응답"),
    (
        "failure responses",
        r"failures?|failure responses?|error responses?|errors?|error handling|errors and retries|retries|on error",
        r"실패|오류|에러",
    ),
)
# A heading about the item starts with its word ("Error handling", "Inputs", "Owner"); one that
# only mentions it ("Testing failure", "TypeScript errors", "Example output") is about something else.
_HEADING = {
    item: re.compile(rf"^(?:\d+[.)]?\s*)?(?:the\s+|our\s+)?(?:(?:{en})\b|{ko})|^.{{0,12}}(?:{ko})", re.IGNORECASE)
    for item, en, ko in _ITEMS
}
# "Owner: payments team", "- **Input:** JSON body", "| Output | 202 ... |": a label, then its value
_LABEL = {
    item: re.compile(
        rf"^\s*(?:[-*+]\s+|\d+[.)]\s+|\|\s*)?(?:\*\*|__)?(?:(?:{en})\b|{ko})(?:\*\*|__)?\s*(?::|\||\*\*:|—|-\s)",
        re.IGNORECASE,
    )
    for item, en, ko in _ITEMS
}
_SENTENCES = {
    "owner": re.compile(r"\b(?:owned|maintained) by\b|\bowner is\b|\bcontact\b.*@", re.IGNORECASE),
    # a status code with what it means, first in a list item or a table row ("- `400` invalid JSON",
    # "| 503 | ..."), or named as one ("returns HTTP 409", "status code 422")
    "failure responses": re.compile(
        r"^\s*(?:[-*+]|\d+[.)]|\|)\s*(?:\*\*|`)?[45]\d\d\b|\b(?:HTTP|status(?:\s+code)?)\s*`?[45]\d\d\b",
        re.IGNORECASE,
    ),
}

_TEMPLATE = (
    "AWSTemplateFormatVersion: '2010-09-09'\n"
    "Transform: AWS::Serverless-2016-10-31\n"
    "Resources:\n"
    "  OrdersFunction:\n"
    "    Type: AWS::Serverless::Function\n"
    "    Properties:\n"
    "      Runtime: python3.13\n"
    "      Handler: app.handler\n"
    "      InlineCode: 'def handler(event, context): return {}'\n"
)
_WRANGLER = 'name = "orders"\nmain = "src/index.ts"\ncompatibility_date = "2025-06-01"\n'
_WORKER = "export default { fetch: () => new Response('ok') };\n"


class RequirementsNotWritten(Rule):
    """
    ## What it does
    Reports a project whose documentation does not state the four requirements the seed
    checklist asks for before a deploy: who **owns** the functions, what **input** they take,
    what **output** they give, and their **failure responses**. The documentation is the README
    beside or above the project's configuration and the Markdown under its `docs/`, outside code
    blocks. An item counts as written when one of these says it:

    - a heading about it, one that starts with its word: *Owner*, *Maintainers*, *Team*,
      *Contact*; *Input*, *Request*, *Payload*; *Output*, *Response*, *Returns*; *Errors*,
      *Failures*, *Error handling*, *Retries* (and 담당/소유자, 입력/요청, 출력/응답,
      실패/오류/에러). "Testing failure" or "Example output" is about something else;
    - a labelled line: `Owner: payments team`, `- **Input:** ...`, a table row `| Output | ... |`;
    - for the owner, a sentence such as "owned by", "maintained by";
    - for failure responses, a list item or table row that starts with a 4xx/5xx status
      (`` - `400` invalid JSON ``), or a status named as such ("returns HTTP 409").

    A word in passing ("the input bucket", "errors are rare") does not count. One finding per
    project, on its nearest README's first line (or its first configuration file when there is no
    README), naming what is missing.

    ## Why is this bad?
    A reviewer checks code against what it is supposed to do. Without the input and output written
    down there is nothing to check the validation and the responses against; without failure
    responses nobody knows whether a 500 is a bug or the contract; without an owner, the finding,
    the alarm and the 3 a.m. page have nobody to go to.

    ## Why this tier
    Human confirmation: whether what is written is right and enough is for a person to judge; the
    rule only sees that it is absent.

    ## Example
    ```markdown
    # orders
    Deploy with `sam deploy --guided`.
    ```

    ## Use instead
    ```markdown
    # orders
    Owner: payments-platform team (#payments-oncall)

    - Input: `POST /orders` with `{"amount": <int>, "currency": "EUR"}` and an `idempotency-key` header
    - Output: `202 {"orderId": ...}`
    - Failure responses: `400` invalid JSON, `422` key reused with another body, `500` AWS errors
    ```

    ## References
    - [AWS Well-Architected, Operational Excellence: know who owns each workload](https://docs.aws.amazon.com/wellarchitected/latest/operational-excellence-pillar/welcome.html)
    - [API Gateway: handling errors and status codes in Lambda proxy responses](https://docs.aws.amazon.com/apigateway/latest/developerguide/handle-errors-in-lambda-integration.html)
    - [Workers: Response](https://developers.cloudflare.com/workers/runtime-apis/response/)
    """

    id = "SLS511"
    name = "requirements-not-written"
    category = "docs"
    tier = "human-confirmation"
    title = "The project's docs do not state the functions' owner, input, output and failure responses"
    fix = "Add to the README: the owner (team and contact), the input (event or request shape), the output, and each failure response with its status."
    docs = (
        "https://docs.aws.amazon.com/wellarchitected/latest/operational-excellence-pillar/welcome.html",
        "https://docs.aws.amazon.com/apigateway/latest/developerguide/handle-errors-in-lambda-integration.html",
    )

    bad = [
        Example(
            {"template.yaml": _TEMPLATE, "README.md": "# orders\n\nDeploy with `sam deploy --guided`.\n"},
            expect=[
                Expect(
                    "README.md",
                    1,
                    1,
                    "This project's docs (README.md) do not state its functions' owner, input, output and failure "
                    "responses: a reviewer has nothing to check the code against, and nobody to ask",
                )
            ],
            name="readme-says-how-to-deploy-only",
        ),
        Example(
            {
                "template.yaml": _TEMPLATE,
                "README.md": "# orders\n\nOwner: payments team\n\n## Request\n\n`POST /orders` with a JSON order.\n\n"
                "## Response\n\n`202` and the order id. Errors are rare.\n\n## Testing the failure path\n\nRun `make fail`.\n",
            },
            expect=[
                Expect(
                    "README.md",
                    1,
                    1,
                    "This project's docs (README.md) do not state its functions' failure responses (owner, input and "
                    "output are written): a reviewer has nothing to check the code against",
                )
            ],
            name="failure-responses-missing",
        ),
        Example(
            {"wrangler.toml": _WRANGLER, "src/index.ts": _WORKER},
            expect=[
                Expect(
                    "wrangler.toml",
                    1,
                    1,
                    "This project has no README: nothing states its functions' owner, input, output and failure "
                    "responses, so a reviewer has nothing to check the code against, and nobody to ask",
                )
            ],
            name="no-readme",
        ),
    ]
    good = [
        Example(
            {
                "template.yaml": _TEMPLATE,
                "README.md": "# orders\n\nOwner: payments-platform team (#payments-oncall)\n\n"
                '- Input: `POST /orders` with `{"amount": 1250, "currency": "EUR"}`\n'
                '- Output: `202 {"orderId": "..."}`\n'
                "- Failure responses: `400` invalid JSON, `500` AWS errors\n",
            },
            name="labelled-lines",
        ),
        Example(
            {
                "wrangler.toml": _WRANGLER,
                "src/index.ts": _WORKER,
                "README.md": "# orders worker\n\nMaintained by the storefront team.\n\n## Input\n\nA JSON order.\n\n"
                "## Output\n\n| status | body |\n|---|---|\n| 202 | the order id |\n\n## Errors\n\n"
                "| status | when |\n|---|---|\n| 400 | invalid JSON |\n",
            },
            name="headings-and-a-sentence",
        ),
        Example(
            {
                "template.yaml": _TEMPLATE,
                "README.md": "# 주문 API\n\n담당: 결제 플랫폼 팀\n\n## 입력\n\n주문 JSON\n\n## 출력\n\n`202`\n\n## 실패 응답\n\n- `400` 잘못된 JSON\n",
            },
            name="korean-headings",
        ),
        Example(
            {
                "template.yaml": _TEMPLATE,
                "README.md": "# orders\n\nSee the docs.\n",
                "docs/contract.md": "# Contract\n\n| item | |\n|---|---|\n| Owner | payments team |\n"
                "| Input | JSON order |\n| Output | order id |\n| Errors | 400 invalid JSON |\n",
            },
            name="written-under-docs",
        ),
    ]

    def check(self, ctx: Context) -> Iterator[Report]:
        said: set[tuple[str, str]] = set()  # projects that share their nearest README share its finding
        for report in self._reports(ctx):
            key = (str(report.at), report.message)
            if key not in said:
                said.add(key)
                yield report

    def _reports(self, ctx: Context) -> Iterator[Report]:
        for folder in ctx.project.folders():
            docs = [d for d in folder.docs if d.kind != "makefile"]
            missing = [item for item, _, _ in _ITEMS if not any(_states(doc, item) for doc in docs)]
            if not missing:
                continue
            if folder.readme is None and not docs:
                yield Report(
                    folder.loc,
                    "This project has no README: nothing states its functions' owner, input, output and failure "
                    "responses, so a reviewer has nothing to check the code against, and nobody to ask",
                )
                continue
            written = [item for item, _, _ in _ITEMS if item not in missing]
            plural = len(written) > 1 or written == ["failure responses"]
            also = f" ({_and(written)} {'are' if plural else 'is'} written)" if written else ""
            nobody = ", and nobody to ask" if "owner" in missing else ""
            where = folder.readme.path if folder.readme is not None else docs[0].path
            yield Report(
                folder.loc if folder.readme is not None else docs[0].loc,
                f"This project's docs ({where}) do not state its functions' {_and(missing)}{also}: a reviewer has "
                f"nothing to check the code against{nobody}",
            )


def _states(doc: Doc, item: str) -> bool:
    if any(_HEADING[item].search(h.text) for h in doc.headings):
        return True
    label, sentence = _LABEL[item], _SENTENCES.get(item)
    return any(label.search(text) or (sentence is not None and sentence.search(text)) for _, text in doc.prose)


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
