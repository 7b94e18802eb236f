from __future__ import annotations

import posixpath
from collections.abc import Iterator

from slsreview_rules.secrets.example_values import DB_PASSWORD, STRIPE_LIVE

from slsreview.analysis.secret_scan import match_value
from slsreview.location import Location
from slsreview.rule import Context, Example, Expect, Report, Rule
from slsreview.vocabulary.secrets import (
    credential_shaped,
    is_placeholder,
    plainly_not_secret,
    secret_name,
)

_WRANGLER = 'name = "orders"\nmain = "src/index.ts"\ncompatibility_date = "2025-06-01"\n'
_WORKER = "export default { fetch: (r: Request, env: Env) => new Response(env.STRIPE_KEY ? 'ok' : 'unset') };\n"


class LocalSecretsFileCommitted(Rule):
    """
    ## What it does
    Reports a local environment file, `.dev.vars`, `.dev.vars.<env>`, `.env` or `.env.<mode>`
    (`.env.local`, `.env.production`), that is in the reviewed tree, is not excluded by any
    `.gitignore` (or is tracked by git anyway), and holds a secret: an entry with a secret's name
    (`STRIPE_KEY`, `DB_PASSWORD`; see SLS302 for how names and values are read) and a real value,
    or a value in a known credential format. The finding names the entries, never their values.

    Not reported: files named as examples or templates (`.dev.vars.example`, `.env.sample`,
    `.env.template`, `example.env`), which are meant to be committed with placeholders (a real
    credential in one is SLS301's); entries that are empty or placeholders
    (`STRIPE_KEY=sk_live_...`, `API_TOKEN=<your token>`); files of non-secret settings only
    (`PORT=8787`, `ENVIRONMENT=dev`). A file that `.gitignore` excludes is never seen by the
    review, which is exactly what should happen to it.

    ## Why is this bad?
    Wrangler reads `.dev.vars` (and dotenv tools `.env`) so that local runs have the secrets that
    production keeps in `wrangler secret put` or a secret store. They hold real credentials; once
    committed, everyone with the repository has them, and the git history keeps them after the
    file is deleted.

    ## Why this tier
    Blocking: the credentials are in the repository, or will be with the next `git add .`.

    ## Example
    ```text
    # .dev.vars, not in .gitignore
    STRIPE_KEY=sk_live_...
    ```

    ## Use instead
    ```text
    # .gitignore
    .dev.vars*
    .env*
    !.dev.vars.example

    # .dev.vars.example, committed
    STRIPE_KEY=<your test key>
    ```

    ## References
    - [Cloudflare Workers: local development with secrets (.dev.vars)](https://developers.cloudflare.com/workers/configuration/secrets/#local-development-with-secrets)
    - [Cloudflare Workers: environment variables](https://developers.cloudflare.com/workers/configuration/environment-variables/)
    - [GitHub: removing sensitive data from a repository](https://docs.github.com/en/authentication/keeping-your-account-and-data-secure/removing-sensitive-data-from-a-repository)
    """

    id = "SLS306"
    name = "local-secrets-file-committed"
    category = "secrets"
    tier = "blocking"
    title = "A .dev.vars or .env file with secrets is not ignored by git"
    fix = (
        "Add `.dev.vars*` and `.env*` (with `!.dev.vars.example`) to .gitignore, `git rm --cached` the file, "
        "rotate every value it held (the history keeps them), and commit an example file with placeholders instead."
    )
    docs = ("https://developers.cloudflare.com/workers/configuration/secrets/#local-development-with-secrets",)

    bad = [
        Example(
            {
                "wrangler.toml": _WRANGLER,
                "src/index.ts": _WORKER,
                ".dev.vars": f"# local secrets\nENVIRONMENT=dev\nSTRIPE_KEY={STRIPE_LIVE}\nDB_PASSWORD='{DB_PASSWORD}'\n",
            },
            expect=[
                Expect(
                    ".dev.vars",
                    3,
                    12,
                    ".dev.vars holds secrets (STRIPE_KEY: a Stripe live secret key; DB_PASSWORD) and is not kept out of git: they are in the repository, or will be with the next commit",
                )
            ],
            name="dev-vars",
        ),
        Example(
            {
                "wrangler.toml": _WRANGLER,
                "src/index.ts": _WORKER,
                ".gitignore": "node_modules/\n.dev.vars\n",
                "app/.env.local": "OPENAI_API_KEY=Zt8qW3mK9xPb2Lr7Vc4Nd6Hs1Jf5Gy0Ae\n",
            },
            expect=[
                Expect(
                    "app/.env.local",
                    1,
                    16,
                    ".env.local holds secrets (OPENAI_API_KEY) and is not kept out of git: they are in the repository, or will be with the next commit",
                )
            ],
            name="env-local-not-covered-by-the-gitignore",
        ),
    ]
    good = [
        Example(
            {
                "wrangler.toml": _WRANGLER,
                "src/index.ts": _WORKER,
                ".gitignore": ".dev.vars*\n!.dev.vars.example\n",
                ".dev.vars": f"STRIPE_KEY={STRIPE_LIVE}\n",
                ".dev.vars.example": "STRIPE_KEY=<your test key>\nDB_PASSWORD=\n",
            },
            name="ignored-and-example",
        ),
        Example(
            {
                "wrangler.toml": _WRANGLER,
                "src/index.ts": _WORKER,
                ".dev.vars": "# fill in, never commit real values\nSTRIPE_KEY=sk_live_...\nAPI_TOKEN=PUT-YOUR-TOKEN-HERE\nDB_PASSWORD=\n",
                ".env": "PORT=8787\nENVIRONMENT=development\nLOG_LEVEL=debug\nTOKEN_TTL=3600\n",
            },
            name="placeholders-and-settings",
        ),
    ]

    def check(self, ctx: Context) -> Iterator[Report]:
        for env_file in ctx.project.env_files:
            if env_file.kind != "secrets":
                continue
            formats = {s.loc.line: s for s in ctx.secret_literals(env_file.path)}
            held: list[tuple[Location, str]] = []
            for name, value in env_file.entries.items():
                loc = env_file.entries.loc(name)
                found = formats.get(loc.line) or formats.get(env_file.entries.key_loc(name).line)
                fmt = match_value(value) if found is None else None
                title = found.title if found is not None else fmt.title if fmt is not None else None
                if title is not None:
                    held.append((loc, f"{name}: {title}"))
                elif _secret_entry(name, value):
                    held.append((loc, name))
            if held:
                yield Report(
                    held[0][0],
                    f"{posixpath.basename(env_file.path)} holds secrets ({'; '.join(what for _, what in held)}) and is not kept out of git: "
                    "they are in the repository, or will be with the next commit",
                )


def _secret_entry(name: str, value: str) -> bool:
    strength = secret_name(name)
    if strength is None or is_placeholder(value) or plainly_not_secret(value):
        return False
    return strength == "strong" or credential_shaped(value)
