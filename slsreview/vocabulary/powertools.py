"""Powertools for AWS Lambda (Python and TypeScript), and middy: the wrappers that change what a
handler does, and the classes whose objects the analyzers follow.

A wrapper becomes a ``Wrapper`` fact named by ``PowertoolsWrapper.name``. Powertools moves its
exports between modules over releases, so both analyzers recognise them by the name they are
exported under, inside the package (``PYTHON_PACKAGE``, ``JAVASCRIPT_PACKAGE_PREFIX``).

    >>> python_decorators()["idempotent"], javascript_functions()["processPartialResponseSync"]
    ('powertools.idempotent', 'powertools.process_partial_response')
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

PYTHON_PACKAGE = "aws_lambda_powertools"
JAVASCRIPT_PACKAGE_PREFIX = "@aws-lambda-powertools/"

How = Literal["decorator", "function", "class", "middleware"]


@dataclass(frozen=True, slots=True)
class PowertoolsWrapper:
    """``name``: the Wrapper fact's name. ``how``: how the code applies it -- a decorator
    (``@idempotent``), a function called with the handler or in it (``makeIdempotent(fn)``,
    ``process_partial_response(...)``), a class constructed (``BatchProcessor(...)``) or a middy
    middleware (``.use(makeHandlerIdempotent(...))``)."""

    name: str
    how: How
    python: tuple[str, ...] = ()
    javascript: tuple[str, ...] = ()


WRAPPERS: tuple[PowertoolsWrapper, ...] = (
    # JavaScript's makeIdempotent is powertools.idempotent around the handler, and
    # powertools.idempotent_function around any other function (decided where it is applied)
    PowertoolsWrapper("powertools.idempotent", "decorator", python=("idempotent",)),
    PowertoolsWrapper("powertools.idempotent", "function", javascript=("makeIdempotent",)),
    PowertoolsWrapper("powertools.idempotent", "middleware", javascript=("makeHandlerIdempotent",)),
    PowertoolsWrapper("powertools.idempotent_function", "decorator", python=("idempotent_function",)),
    PowertoolsWrapper("powertools.batch_processor", "decorator", python=("batch_processor", "async_batch_processor")),
    PowertoolsWrapper(
        "powertools.batch_processor",
        "class",
        python=("BatchProcessor", "AsyncBatchProcessor", "SqsFifoPartialProcessor"),
        javascript=("BatchProcessor", "SqsFifoPartialProcessor"),
    ),
    PowertoolsWrapper(
        "powertools.process_partial_response",
        "function",
        python=("process_partial_response", "async_process_partial_response"),
        javascript=("processPartialResponse", "processPartialResponseSync"),
    ),
    # Python: @logger.inject_lambda_context on any logger object (the receiver is not checked)
    PowertoolsWrapper("powertools.inject_lambda_context", "decorator", python=("inject_lambda_context",)),
    PowertoolsWrapper("powertools.inject_lambda_context", "middleware", javascript=("injectLambdaContext",)),
)

# Python's @logger.inject_lambda_context is recognised on any receiver, imported or not
PYTHON_LOGGER_DECORATOR = "inject_lambda_context"

# The option that makes inject_lambda_context log the whole event: Wrapper.arg("log_event")
LOG_EVENT_OPTION = {"python": "log_event", "javascript": "logEvent"}

# The logger class (see logs.LOG_SINKS), and what else a Powertools logger logs with: Python's
# append_keys() is counted as a log call (the JavaScript analyzer does not count appendKeys)
LOGGER_CLASS = "Logger"
PYTHON_LOGGER_LOG_METHODS = frozenset({"append_keys"})

# Event handler resolvers (APIGatewayRestResolver, ...Resolver, Router): app.current_event is the
# event. Python only: the JavaScript analyzer does not follow Powertools' event handler yet.
PYTHON_RESOLVER_SUFFIX = "Resolver"
PYTHON_ROUTER = "Router"
# Parameters and secrets live in the package's `parameters` module (sources.POWERTOOLS_SECRET_READS)
PYTHON_PARAMETERS_MODULE = ".parameters"

# middy (JavaScript): middy(handler) and middy().handler(fn) wrap a handler as `middy`
MIDDY = ("@middy/core", "@middy/core.default", "middy")


def _by_how(side: str, *hows: How) -> dict[str, str]:
    return {
        spelling: wrapper.name
        for wrapper in WRAPPERS
        if wrapper.how in hows
        for spelling in (wrapper.python if side == "python" else wrapper.javascript)
    }


def python_decorators() -> dict[str, str]:
    """Decorator name (last part) -> Wrapper name, for decorators imported from the package."""
    return _by_how("python", "decorator")


def python_functions() -> dict[str, str]:
    return _by_how("python", "function")


def python_classes() -> dict[str, str]:
    return _by_how("python", "class")


def javascript_functions() -> dict[str, str]:
    return _by_how("javascript", "function", "middleware")


def javascript_classes() -> dict[str, str]:
    return _by_how("javascript", "class")
