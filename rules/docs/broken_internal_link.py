from __future__ import annotations

import difflib
from collections.abc import Iterator

from slsreview.model.project import Doc, DocLink
from slsreview.rule import Context, Example, Expect, Report, Rule

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


class BrokenInternalLink(Rule):
    """
    ## What it does
    Reports a relative link in the project's Markdown documentation (the README beside or above a
    configuration, the Markdown under its `docs/`) that points at nothing: a file or folder that
    does not exist, or an `#anchor` that no heading (and no `<a name>`/`id`) of the linked
    Markdown file has. Anchors are computed the way GitHub computes them: the heading's text,
    lower-cased, punctuation removed, spaces turned into hyphens, `-1`, `-2`... for repeats.

    Links to the web (`https://...`, `mailto:`) are not fetched and not reported; neither are
    links into code blocks or inline code (they are not links), repository-root links starting
    with `/`, links with template placeholders (`{{ }}`, `${ }`), nor links leading outside the
    reviewed folder. One finding per link, on its target.

    ## Why is this bad?
    The README is what a reviewer, an on-call engineer or the next maintainer reads first. A link
    to the runbook that moved, or to a section that was renamed, sends them nowhere at the moment
    they need it, and tells them the documentation is not kept up to date.

    ## Why this tier
    Non-blocking: the deploy is unaffected; the documentation is wrong.

    ## Example
    ```markdown
    See [the runbook](docs/runbook.md) and [how to deploy](#deploying).

    ## Deployment
    ```

    ## Use instead
    ```markdown
    See [the runbook](docs/operations.md) and [how to deploy](#deployment).

    ## Deployment
    ```

    ## References
    - [GitHub: relative links in Markdown files](https://docs.github.com/en/repositories/managing-your-repositorys-settings-and-features/customizing-your-repository/about-readmes#relative-links-and-image-paths-in-markdown-files)
    - [GitHub: section links (heading anchors)](https://docs.github.com/en/get-started/writing-on-github/getting-started-with-writing-and-formatting-on-github/basic-writing-and-formatting-syntax#section-links)
    """

    id = "SLS512"
    name = "broken-internal-link"
    category = "docs"
    tier = "non-blocking"
    title = "A relative link in the project's docs points at a file or section that does not exist"
    fix = "Point the link at the file or heading as it is now called (or remove it)."
    docs = (
        "https://docs.github.com/en/get-started/writing-on-github/getting-started-with-writing-and-formatting-on-github/basic-writing-and-formatting-syntax#section-links",
        "https://docs.github.com/en/repositories/managing-your-repositorys-settings-and-features/customizing-your-repository/about-readmes#relative-links-and-image-paths-in-markdown-files",
    )

    bad = [
        Example(
            {
                "template.yaml": _TEMPLATE,
                "README.md": "# Orders\n\nSee [the runbook](docs/runbook.md) and [how to deploy](#deploying).\n\n## Deployment\n",
            },
            expect=[
                Expect("README.md", 3, 19, "README.md links to docs/runbook.md, which does not exist"),
                Expect(
                    "README.md",
                    3,
                    56,
                    "README.md links to #deploying, but no heading of README.md has that anchor (#deployment is close)",
                ),
            ],
            name="missing-file-and-renamed-heading",
        ),
        Example(
            {
                "template.yaml": _TEMPLATE,
                "README.md": "# Orders\n\nRollback: [steps](docs/operations.md#roll-back-a-release).\n",
                "docs/operations.md": "# Operations\n\n## Rolling back a release\n",
            },
            expect=[
                Expect(
                    "README.md",
                    3,
                    19,
                    "README.md links to docs/operations.md#roll-back-a-release, but no heading of docs/operations.md "
                    "has that anchor (#rolling-back-a-release is close)",
                )
            ],
            name="anchor-in-another-document",
        ),
    ]
    good = [
        Example(
            {
                "template.yaml": _TEMPLATE,
                "README.md": "# Orders\n\n"
                "[Runbook](docs/operations.md#rolling-back-a-release), [events](events/), "
                "[the `deploy` step](#the-deploy-step-v2), [AWS](https://docs.aws.amazon.com/lambda/)\n\n"
                "## The `deploy` step (v2)\n\n"
                "```bash\n# [not a link](missing.md)\n```\n\n"
                "Inline code is not a link: `[x](missing.md)`.\n",
                "docs/operations.md": "# Operations\n\n## Rolling back a release\n",
                "events/create.json": "{}\n",
            },
            name="links-that-resolve-code-and-web-links",
        ),
        Example(
            {
                "template.yaml": _TEMPLATE,
                "README.md": '# Orders\n\n<a name="faq"></a>\nJump to [the FAQ](#faq) or the [2nd Setup](#setup-1).\n\n'
                "## Setup\n\n## Setup\n",
            },
            name="html-anchor-and-repeated-heading",
        ),
    ]

    def check(self, ctx: Context) -> Iterator[Report]:
        docs = {d.path: d for d in ctx.project.docs}
        for doc in ctx.project.docs:
            for link in doc.links:
                if link.exists is False:
                    yield Report(link.loc, f"{doc.path} links to {link.target}, which does not exist")
                elif link.anchor_exists is False:
                    target = docs.get(link.path) if link.path is not None else doc
                    shown = link.path or doc.path
                    yield Report(
                        link.loc,
                        f"{doc.path} links to {link.target}, but no heading of {shown} has that anchor{_close(link, target)}",
                    )


def _close(link: DocLink, target: Doc | None) -> str:
    if target is None or not link.anchor:
        return ""
    anchors = [h.anchor for h in target.headings]
    match = difflib.get_close_matches(link.anchor.lower(), anchors, n=1, cutoff=0.6)
    return f" (#{match[0]} is close)" if match else ""
