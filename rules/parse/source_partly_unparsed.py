from collections.abc import Iterator

from slsreview.location import Location
from slsreview.rule import Context, Example, Expect, Report, Rule

_WRANGLER = 'name = "orders"\nmain = "src/index.ts"\ncompatibility_date = "2025-06-01"\n'


class SourcePartlyUnparsed(Rule):
    """
    ## What it does
    Notes a JavaScript or TypeScript handler that the parser could only partly understand. The
    review analysed what it could parse; findings about the rest may be missing.

    ## Why is this bad?
    It may not be: tree-sitter recovers from errors, and valid TypeScript that its grammar does not
    know yet (for example `importOriginal<typeof import("x")>()`) produces the same error nodes as
    a real syntax error. The note tells a reviewer which part of the file the review did not see.

    ## Why this tier
    Non-blocking: it is not proof of invalid code, only of a gap in the review. A real syntax error
    will also fail the project's own build or tests.

    ## Example
    ```ts
    export default { async fetch(request) { return new Response("ok" } };
    ```

    ## Use instead
    ```ts
    export default { async fetch(request) { return new Response("ok"); } };
    ```

    ## References
    - [tree-sitter: error recovery](https://tree-sitter.github.io/tree-sitter/using-parsers/1-getting-started.html)
    """

    id = "SLS003"
    name = "source-partly-unparsed"
    category = "parse"
    tier = "non-blocking"
    platforms = ("aws-lambda", "cloudflare-workers")
    title = "Part of a JavaScript/TypeScript handler could not be parsed"
    fix = "Check the reported line; if the code is valid (newer TypeScript syntax), the note can be ignored."
    docs = ("https://tree-sitter.github.io/tree-sitter/using-parsers/1-getting-started.html",)

    bad = [
        Example(
            {
                "wrangler.toml": _WRANGLER,
                "src/index.ts": 'export default {\n  async fetch(request: Request) {\n    return new Response("ok" ;\n  },\n};\n',
            },
            expect=[Expect("src/index.ts", 3, 29, "could not parse part of this file (tree-sitter expected ')' here)")],
        )
    ]
    good = [
        Example(
            {
                "wrangler.toml": _WRANGLER,
                "src/index.ts": 'export default {\n  async fetch(request: Request): Promise<Response> {\n    return new Response("ok");\n  },\n};\n',
            }
        )
    ]

    def check(self, ctx: Context) -> Iterator[Report]:
        for path, problems in sorted(ctx.project.problems.items()):
            for problem in problems:
                if problem.kind == "recovered":
                    yield Report(Location(path, *problem.span), problem.message)
