"""Log sinks: what writes to the function's log, and at which level.

A call that logs is the ``Call`` named ``log``, with ``attrs["logger"]`` (``LogSink.logger``) and
``attrs["level"]``, one of ``debug``/``info``/``warning``/``error``/``critical`` (each library's
own names normalised to Python's), or ``None`` when the analysis cannot tell.

    >>> method_levels("python")["exception"], method_levels("javascript")["warn"]
    ('error', 'warning')
    >>> sinks("python", "call")
    {'print': 'print', 'sys.stdout.write': 'stdout', 'sys.stderr.write': 'stdout'}
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from slsreview.vocabulary.spelling import ABSENT, Absent, Side

Level = str | None  # None: the call's first argument says the level (logging.log(logging.INFO, ...))


@dataclass(frozen=True, slots=True)
class LogMethod:
    """A logger method that logs, and its level in each language (``ABSENT``: not a sink there)."""

    python: Level | Absent
    javascript: Level | Absent


# The methods of a logger object (logging.Logger, Powertools' Logger, console, pino, winston,
# bunyan...) that write a log line. One row per method name.
LOG_METHODS: dict[str, LogMethod] = {
    "debug": LogMethod("debug", "debug"),
    "info": LogMethod("info", "info"),
    "warning": LogMethod("warning", "warning"),
    "warn": LogMethod("warning", "warning"),
    "error": LogMethod("error", "error"),
    "critical": LogMethod("critical", "critical"),
    "fatal": LogMethod("critical", "critical"),
    # logging's error with the traceback: Python's logging only
    "exception": LogMethod("error", ABSENT),
    # Disagreement by design: Python's logging.log(level, msg) and winston's log(level, msg)
    # take the level first; console.log logs at info. The JavaScript analyzer reads winston's
    # literal level itself and defaults to info.
    "log": LogMethod(None, "info"),
    # console.trace/table/dir, pino's trace, winston's silly/verbose/http: JavaScript libraries
    # (Python's logging has none of these; loguru's trace is not recognised)
    "trace": LogMethod(ABSENT, "debug"),
    "table": LogMethod(ABSENT, "info"),
    "dir": LogMethod(ABSENT, "info"),
    "silly": LogMethod(ABSENT, "debug"),
    "verbose": LogMethod(ABSENT, "debug"),
    "http": LogMethod(ABSENT, "info"),
}


def method_levels(side: Side) -> dict[str, Level]:
    """Log method -> level, for one language."""
    out: dict[str, Level] = {}
    for method, row in LOG_METHODS.items():
        level = row.python if side == "python" else row.javascript
        if not isinstance(level, Absent):
            out[method] = level
    return out


How = Literal["call", "module", "factory"]


@dataclass(frozen=True, slots=True)
class LogSink:
    """Where log lines go: ``logger`` is ``Call.attrs["logger"]``.

    ``how``: ``call`` -- calling the name writes a line (``print(x)``); ``module`` -- the name's
    level methods write one (``logging.info(x)``, ``console.log(x)``); ``factory`` -- calling or
    constructing the name makes a logger whose level methods write one (``logging.getLogger()``,
    ``pino()``, ``new Logger()``)."""

    logger: str
    how: How
    python: tuple[str, ...] = ()
    javascript: tuple[str, ...] = ()


LOG_SINKS: tuple[LogSink, ...] = (
    LogSink("print", "call", python=("print",)),
    LogSink("stdout", "call", python=("sys.stdout.write", "sys.stderr.write")),
    LogSink("logging", "module", python=("logging",)),
    LogSink("logging", "factory", python=("logging.getLogger",)),
    LogSink("console", "module", javascript=("console",)),
    LogSink("pino", "factory", javascript=("pino", "pino.default", "pino.pino")),
    LogSink("winston", "module", javascript=("winston",)),
    LogSink("winston", "factory", javascript=("winston.createLogger", "winston.Logger")),
    LogSink("bunyan", "factory", javascript=("bunyan.createLogger",)),
    # Powertools for AWS Lambda moves its Logger between modules: both analyzers take any
    # `Logger` their package exports (see powertools.LOGGER_CLASS), not only these spellings.
    LogSink(
        "powertools",
        "factory",
        python=("aws_lambda_powertools.Logger",),
        javascript=("@aws-lambda-powertools/logger.Logger",),
    ),
)


def sinks(side: Side, how: How) -> dict[str, str]:
    """Spelling -> logger, of the sinks used one way (``call``/``module``/``factory``)."""
    return {
        spelling: sink.logger
        for sink in LOG_SINKS
        if sink.how == how
        for spelling in (sink.python if side == "python" else sink.javascript)
    }


# A logger the file cannot see (``from utils import logger``, ``self.logger``) is recognised by
# the variable's name when it calls a level method. Disagreement: Python matches these names
# exactly; JavaScript matches "logger" and "log" case-insensitively (so not "_logger").
PYTHON_LOGGER_NAMES = frozenset({"logger", "log", "LOGGER", "LOG", "_logger", "_log", "_LOGGER"})
JAVASCRIPT_LOGGER_NAMES_LOWER = frozenset({"logger", "log"})

# Python's logging.INFO & co., whose value names a level (logger.log(logging.INFO, ...))
PYTHON_LEVEL_CONSTANTS = frozenset({"DEBUG", "INFO", "WARNING", "WARN", "ERROR", "CRITICAL", "FATAL"})

# A logger's method that returns another logger (whose level methods log too)
CHILD_LOGGER_METHOD: dict[Side, str] = {"python": "getChild", "javascript": "child"}

# What a line looks like in the function's log: the loggers that write a JSON object per line by
# default, and the packages that make a file's loggers do so (Powertools' Logger, pino, bunyan,
# winston's default json format, structlog, python-json-logger and its kin as logging formatters).
# Used by SLS501; print/stdout/console and the standard library's logging write plain text unless
# the function's LoggingConfig.LogFormat is JSON (which Lambda applies to logging and console, not
# to print or process.stdout.write).
STRUCTURED_LOGGERS = frozenset({"powertools", "pino", "bunyan", "winston"})
STRUCTURED_LOGGING_PACKAGES: dict[Side, tuple[str, ...]] = {
    "python": ("aws_lambda_powertools", "structlog", "pythonjsonlogger", "json_log_formatter", "ecs_logging"),
    "javascript": (
        "@aws-lambda-powertools/logger",
        "pino",
        "bunyan",
        "winston",
        "lambda-log",
        "@dazn/lambda-powertools-logger",
    ),
}
# Calls that serialise their argument to JSON: a log line made of one of them is a JSON object.
JSON_SERIALISERS: dict[Side, tuple[str, ...]] = {"python": ("json.dumps(",), "javascript": ("JSON.stringify(",)}
