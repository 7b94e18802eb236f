from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator

from slsreview.model.project import ProjectFolder
from slsreview.rule import Context, Example, Expect, Report, Rule

# Commands that remove what a serverless project deploys, whatever deploys it.
_COMMANDS = re.compile(
    r"\bsam\s+delete\b"
    r"|\baws\s+cloudformation\s+delete-stack\b"
    r"|\bcdk\s+destroy\b"
    r"|\b(?:serverless|sls)\s+remove\b"
    r"|\bterraform\s+destroy\b"
    r"|\bpulumi\s+destroy\b"
    r"|\bsst\s+remove\b"
    r"|\bwrangler\s+(?:delete|pages\s+project\s+delete)\b"
    r"|\bdelete\s+(?:the\s+|your\s+|this\s+)?(?:cloudformation\s+|sam\s+)?stack\b"
    r"|스택\s*(?:을|를)?\s*삭제",
    re.IGNORECASE,
)
# Headings under which projects write their removal procedure.
_HEADINGS = re.compile(
    r"\b(?:clean[\s-]?up|tear[\s-]?down|removal|remov(?:e|ing)\b.*\b(?:stack|resources|app|application|worker)|"
    r"uninstall(?:ing)?|delet(?:e|ing)\b.*\b(?:stack|resources|app|application|worker)|destroy|decommission)\b"
    r"|정리|삭제",
    re.IGNORECASE,
)

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
_README = "# Orders\n\nTakes orders.\n\n## Deploy\n\n```bash\nsam build && sam deploy --guided\n```\n"


class NoRemovalProcedure(Rule):
    """
    ## What it does
    Reports a project whose documentation never says how to remove what it deploys. A project is
    one folder with a SAM/CloudFormation template or a wrangler configuration; its documentation is
    the README beside it or above it, the Markdown under its `docs/`, its Makefile or justfile,
    and the scripts of its nearest `package.json`. Any of these counts:

    - a removal command: `sam delete`, `aws cloudformation delete-stack`, `cdk destroy`,
      `serverless remove`, `terraform destroy`, `pulumi destroy`, `sst remove`, `wrangler delete`,
      or a sentence telling the reader to delete the stack;
    - a heading for it: *Cleanup*, *Teardown*, *Removal*, *Uninstall*, *Delete the stack*
      (and 정리/삭제).

    One finding per project, on the first line of its nearest README, or on its first
    configuration file when it has no README.

    ## Why is this bad?
    What nobody knows how to remove stays: stacks of old experiments keep their functions, queues,
    tables and log groups, and their bill. The removal is also where data is decided (a retained
    table, a bucket that must be emptied first, a secret with a recovery window), so the steps are
    worth writing down while the people who built it are there.

    ## Why this tier
    Human confirmation: only a person can say whether the written steps remove everything (and
    whether some of it must be kept).

    ## Example
    ```markdown
    # Orders
    ## Deploy
        sam build && sam deploy --guided
    ```

    ## Use instead
    ```markdown
    # Orders
    ## Deploy
        sam build && sam deploy --guided
    ## Removal
        sam delete --stack-name orders-dev
    The orders table is retained (DeletionPolicy: Retain); export it, then delete it by hand.
    ```

    ## References
    - [sam delete](https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-cli-command-reference-sam-delete.html)
    - [Deleting a CloudFormation stack](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cfn-console-delete-stack.html)
    - [wrangler delete](https://developers.cloudflare.com/workers/wrangler/commands/#delete)
    """

    id = "SLS504"
    name = "no-removal-procedure"
    category = "cleanup"
    tier = "human-confirmation"
    title = "The project's docs never say how to remove what it deploys"
    fix = "Add a Removal (or Cleanup) section to the README with the command (sam delete --stack-name ..., wrangler delete) and what it leaves behind."
    docs = (
        "https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-cli-command-reference-sam-delete.html",
        "https://developers.cloudflare.com/workers/wrangler/commands/#delete",
    )

    bad = [
        Example(
            {"template.yaml": _TEMPLATE, "README.md": _README},
            expect=[
                Expect(
                    "README.md",
                    1,
                    1,
                    "Nothing in this project's docs (README.md) says how to remove what template.yaml deploys (sam "
                    "delete, a Cleanup section...): whoever cleans up must guess, and what costs money or holds data "
                    "stays behind",
                )
            ],
            name="readme-without-removal",
        ),
        Example(
            {"wrangler.toml": _WRANGLER, "src/index.ts": _WORKER},
            expect=[
                Expect(
                    "wrangler.toml",
                    1,
                    1,
                    "Nothing in this project's docs (it has no README) says how to remove what wrangler.toml deploys "
                    "(wrangler delete, a Cleanup section...): whoever cleans up must guess, and what costs money or "
                    "holds data stays behind",
                )
            ],
            name="no-readme-at-all",
        ),
        Example(
            {
                "template.yaml": _TEMPLATE,
                "README.md": _README + "\nTo remove the resources, see the wiki.\n",
                "package.json": '{"scripts": {"deploy": "sam deploy", "test": "pytest"}}\n',
            },
            expect=[
                Expect(
                    "README.md",
                    1,
                    1,
                    "Nothing in this project's docs (README.md) says how to remove what template.yaml deploys (sam "
                    "delete, a Cleanup section...): whoever cleans up must guess, and what costs money or holds data "
                    "stays behind",
                )
            ],
            name="a-mention-is-not-a-procedure",
        ),
        Example(
            {
                "template.yaml": _TEMPLATE,
                "README.md": _README,
                "edge/wrangler.toml": _WRANGLER,
                "edge/src/index.ts": _WORKER,
            },
            expect=[
                Expect(
                    "README.md",
                    1,
                    1,
                    "Nothing in this project's docs (README.md) says how to remove what template.yaml and "
                    "edge/wrangler.toml deploy (sam delete or wrangler delete, a Cleanup section...): whoever cleans up "
                    "must guess, and what costs money or holds data stays behind",
                )
            ],
            name="a-stack-and-a-worker-under-one-readme",
        ),
    ]
    good = [
        Example(
            {"template.yaml": _TEMPLATE, "README.md": _README + "\n## Removal\n\n    sam delete --stack-name orders-dev\n"},
            name="removal-section-with-sam-delete",
        ),
        Example(
            {
                "template.yaml": _TEMPLATE,
                "README.md": _README + "\n## Cleanup\n\nDelete the stack from the CloudFormation console.\n",
            },
            name="cleanup-heading-and-console-steps",
        ),
        Example(
            {
                "wrangler.toml": _WRANGLER,
                "src/index.ts": _WORKER,
                "package.json": '{"scripts": {"deploy": "wrangler deploy", "destroy": "wrangler delete"}}\n',
            },
            name="package-json-script",
        ),
        Example(
            {"template.yaml": _TEMPLATE, "Makefile": "deploy:\n\tsam deploy\n\nteardown:\n\taws cloudformation delete-stack --stack-name orders\n"},
            name="makefile-target",
        ),
        Example(
            {
                "services/orders/template.yaml": _TEMPLATE,
                "services/orders/README.md": _README,
                "README.md": "# Monorepo\n\n## Tear down\n\nRun `sam delete` in each service folder.\n",
            },
            name="readme-above-the-project",
        ),
    ]

    def check(self, ctx: Context) -> Iterator[Report]:
        # projects that share their nearest README share the finding: it is that README's gap
        groups: dict[str, list[ProjectFolder]] = {}
        for folder in ctx.project.folders():
            if not _says_how_to_remove(folder):
                groups.setdefault(folder.readme.path if folder.readme else folder.directory, []).append(folder)
        for folders in groups.values():
            first = folders[0]
            readme = f"({first.readme.path})" if first.readme is not None else "(it has no README)"
            base = posixpath.dirname(first.readme.path) if first.readme is not None else first.directory
            configs = [_relative(c.path, base) for f in folders for c in f.configs]
            tools = list(dict.fromkeys(t for f in folders for t in f.tools))
            verb = "deploys" if len(configs) == 1 else "deploy"
            commands = " or ".join(f"{tool} delete" for tool in tools)
            yield Report(
                first.loc,
                f"Nothing in this project's docs {readme} says how to remove what {' and '.join(configs)} {verb} "
                f"({commands}, a Cleanup section...): whoever cleans up must guess, and what costs money or holds "
                "data stays behind",
            )


def _relative(path: str, base: str) -> str:
    return path[len(base) + 1 :] if base not in ("", ".") and path.startswith(base + "/") else path


def _says_how_to_remove(folder: ProjectFolder) -> bool:
    for doc in folder.docs:
        if _COMMANDS.search(doc.text):
            return True
        if any(_HEADINGS.search(h.text) for h in doc.headings):
            return True
        if doc.kind == "makefile" and re.search(r"^(?:teardown|tear-down|destroy|undeploy|decommission)\s*:", doc.text, re.MULTILINE):
            return True
    if folder.package is not None:
        return any(isinstance(s.value, str) and _COMMANDS.search(s.value) for s in folder.package.scripts.values())
    return False
