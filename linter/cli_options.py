"""Options every scanning command shares (``scan``, ``plan``): config, rule filters, path excludes, the
money floor, fail-on and the baseline; and turning them into what the engine takes.

A command adds them with ``@scan_options`` and calls ``prepare(paths, **those options)``; usage errors
(unknown rule ids, a bad config, an unreadable baseline) end the run with exit code 2 and one line.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from linter import files as fs
from linter.records import record

if TYPE_CHECKING:
    from linter.report.pieces import Pieces

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
SEVERITIES = ["info", "low", "medium", "high", "critical", "none"]
F = TypeVar("F", bound=Callable[..., Any])


def fail(message: str) -> NoReturn:
    click.echo(f"finops-lint: error: {message}", err=True)
    sys.exit(EXIT_ERROR)


def _ids(values: tuple[str, ...]) -> list[str]:
    """Repeatable and comma-separated: ``--skip-rule A --skip-rule B,C``."""
    return [part.strip() for v in values for part in v.split(",") if part.strip()]


_OPTIONS = [
    click.option("--config", "config_path", type=click.Path(), default=None,
                 help="Config file [default: the nearest .finops-lint.yaml from the scanned path up to the "
                      "repository root, else in the working directory]."),
    click.option("--rules-dir", "rules_dirs", multiple=True, type=click.Path(), help="Extra YAML rule directory."),
    click.option("--fail-on", type=click.Choice(SEVERITIES), default=None,
                 help="Lowest severity that makes the exit code 1 [default: low, or fail_on in config]."),
    click.option("--skip-rule", "skip_rules", multiple=True, metavar="ID",
                 help="Do not run this rule (repeatable, or comma-separated)."),
    click.option("--only-rule", "only_rules", multiple=True, metavar="ID",
                 help="Run only this rule (repeatable, or comma-separated)."),
    click.option("--exclude", "excludes", multiple=True, metavar="GLOB",
                 help="Skip paths matching GLOB (repeatable; also exclude: in config). A glob without '/' matches "
                      "any file or directory name."),
    click.option("--min-monthly-usd", type=click.FloatRange(min=0), default=None, metavar="N",
                 help="Drop findings whose known monthly impact is below N USD (unknown figures stay)."),
    click.option("--baseline", type=click.Path(), default=None, help="Report only findings not in this baseline "
                 "(and baselined ones whose figures grew past baseline_growth)."),
    click.option("--write-baseline", type=click.Path(), default=None,
                 help="Write all current findings to this baseline file."),
    click.option("--usage-file", type=click.Path(), default=None,
                 help="Usage assumptions (requests/month, tokens/request, hours/day) [default: usage_file in config]."),
    click.option("--show-suppressed", is_flag=True,
                 help="Also list findings hidden by ignore comments, annotations or the baseline, with reasons."),
    click.option("--max-file-size", default=None, metavar="SIZE",
                 help="Skip files larger than SIZE with a notice, e.g. 8MiB or 512KiB [default: 8MiB, or "
                      "max_file_size in config]."),
    click.option("--follow-external-links", is_flag=True,
                 help="Follow symlinks that lead outside the scanned repository (not followed by default)."),
    click.option("--no-cache", is_flag=True,
                 help="Do not read or write the cache (compiled rules, parsed manifests, Terraform roots, replayed "
                      "scans; ~/.cache/finops-lint or FINOPS_LINT_CACHE_DIR)."),
    click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, metavar="N",
                 help="Processes that read Terraform root modules and manifests in parallel [default: one per "
                      "CPU when the scan has 200 .tf and manifest files or more; 1 = one process: nothing is "
                      "forked, not even the renderer of a large JSON inventory]."),
]


def scan_options(f: F) -> F:
    """Add the shared options to a click command (in --help order)."""
    for option in reversed(_OPTIONS):
        f = option(f)
    return f


@record
class Prepared:
    config: Any
    config_path: str | None
    catalog: Any
    rules: list[Any]
    options: Any  # engine.ScanOptions
    fail_on: str
    write_baseline: str | None
    show_suppressed: bool


def load(config_path: str | None, rules_dirs: tuple[str, ...] | list[str],
         search_dir: str = ".") -> tuple[Any, Any, list[Any], str | None]:
    """(config, catalog, rules, config path); rule ids named by the config are checked against the rules."""
    config, path = _config(config_path, search_dir)
    catalog, rules = _rules_and_catalog(config, path, rules_dirs)
    return config, catalog, rules, path


def _config(config_path: str | None, search_dir: str) -> tuple[Any, str | None]:
    from linter.config import ConfigError, load_config

    try:
        return load_config(config_path, search_dir)  # type: ignore[no-any-return]
    except ConfigError as exc:
        fail(str(exc))


def _rules_and_catalog(config: Any, path: str | None, rules_dirs: tuple[str, ...] | list[str]) -> tuple[Any, list[Any]]:
    from linter.engine import make_catalog
    from linter.rules.ids import config_id_errors
    from linter.rules.impacts import IMPACTS
    from linter.rules.loader import RuleError, load_rules

    try:
        rules = load_rules([*_rel(config.rules_dirs, path), *rules_dirs], set(IMPACTS))
    except RuleError as exc:
        fail(str(exc))
    problems = config_id_errors(config, {r.id for r in rules})
    if problems:
        key, message = problems[0]
        more = f" (+{len(problems) - 1} more)" if len(problems) > 1 else ""
        fail(f"{path}: key '{key}': {message}{more}")
    return make_catalog(config, path), rules


def _rel(dirs: list[str], config_path: str | None) -> list[str]:
    """``rules_dirs`` as written in the config: relative to the working directory (as before), else to the
    config file's directory when that is where they are."""
    if not config_path:
        return list(dirs)
    base = os.path.dirname(os.path.abspath(config_path))
    return [d if os.path.isabs(d) or fs.isdir(d) else os.path.join(base, d) for d in dirs]


def prepare(paths: list[str], *, config_path: str | None, rules_dirs: tuple[str, ...], fail_on: str | None,
            skip_rules: tuple[str, ...], only_rules: tuple[str, ...], excludes: tuple[str, ...],
            min_monthly_usd: float | None, baseline: str | None, write_baseline: str | None,
            show_suppressed: bool, usage_file: str | None = None, max_file_size: str | None = None,
            follow_external_links: bool = False, jobs: int | None = None, no_cache: bool = False,
            discover_early: bool = False) -> Prepared:
    """Everything a scanning command needs from the shared options, or exit 2 with a one-line error.
    ``discover_early``: find the files of ``paths`` in a child meanwhile (linter/early_discovery.py)."""
    import gc

    from linter import cache

    # A scan builds many objects that live to its end; at the default threshold (700 allocations) the cyclic
    # collector walks them again and again (~15% of a large scan). It still runs, just less often.
    gc.set_threshold(50_000, 20, 100)
    cache.set_enabled(not no_cache)
    from linter.config import search_start

    start = search_start(paths)
    config, path = _config(config_path, start)
    config_dir = os.path.dirname(os.path.abspath(path)) if path else os.getcwd()
    exclude, size_limit = _what_to_read(config, path, config_dir, excludes, max_file_size)
    discovered = None
    if discover_early and jobs != 1:  # what to exclude is known: the files are found in a child from here on
        from linter.early_discovery import start as discover_in_child

        discovered = discover_in_child(paths, exclude, size_limit, follow_external_links)
    try:
        catalog, rules = _rules_and_catalog(config, path, rules_dirs)
        options = _scan_options(config, path, rules, skip_rules, only_rules, exclude, min_monthly_usd, baseline,
                                usage_file, size_limit, follow_external_links, jobs, config_dir, start)
    except BaseException:
        if discovered is not None:
            discovered.abandon()
        raise
    options.discovered = discovered
    return Prepared(config, path, catalog, rules, options, fail_on or config.fail_on, write_baseline,
                    show_suppressed)


def _what_to_read(config: Any, path: str | None, config_dir: str, excludes: tuple[str, ...],
                  max_file_size: str | None) -> tuple[Any, int | None]:
    """(the exclude filter, the file size limit) from the command line and config, or exit 2: all that finding
    the files needs, known before the rules are compiled."""
    from linter.filters import PathFilter

    exclude = PathFilter()
    for pattern in excludes:
        exclude.add(pattern, os.getcwd(), f"--exclude '{pattern}'")
    for pattern in config.exclude:
        exclude.add(pattern, config_dir, f"exclude '{pattern}' in {path}")
    size_limit = None
    if max_file_size is not None or config.max_file_size is not None:
        from linter.files import parse_size

        try:
            size_limit = parse_size(max_file_size if max_file_size is not None else config.max_file_size)
        except ValueError as exc:
            fail(f"--max-file-size: {exc}" if max_file_size is not None else f"{path}: key 'max_file_size': {exc}")
    return exclude, size_limit


def _scan_options(config: Any, path: str | None, rules: list[Any], skip_rules: tuple[str, ...],
                  only_rules: tuple[str, ...], exclude: Any, min_monthly_usd: float | None, baseline: str | None,
                  usage_file: str | None, size_limit: int | None, follow_external_links: bool, jobs: int | None,
                  config_dir: str, start: str) -> Any:
    """``ScanOptions`` from the command line and config, or exit 2 with a one-line error."""
    from linter.config import repo_root
    from linter.engine import ScanOptions
    from linter.rules.ids import unknown_id_message
    from linter.suppress import BaselineError, read_baseline

    _usage(config, usage_file, path)
    known = {r.id for r in rules}
    skip, only = _ids(skip_rules), _ids(only_rules)
    for flag, ids in (("--skip-rule", skip), ("--only-rule", only)):
        for rule_id in ids:
            if rule_id not in known:
                fail(f"{flag}: {unknown_id_message(rule_id, known)}")
    floor, origin = min_monthly_usd, "--min-monthly-usd"
    if floor is None and config.min_monthly_usd is not None:
        floor, origin = config.min_monthly_usd, f"min_monthly_usd in {path}"
    base = None
    if baseline:
        try:
            base = read_baseline(baseline)
        except BaselineError as exc:
            fail(str(exc))
    anchor = repo_root(start) or (config_dir if path else None) or os.getcwd()
    return ScanOptions(baseline=base, skip_rules=set(skip), only_rules=set(only), exclude=exclude,
                       min_monthly_usd=floor, min_monthly_origin=origin, anchor=anchor,
                       max_file_bytes=size_limit, follow_external_links=follow_external_links, jobs=jobs)


def _usage(config: Any, flag: str | None, config_file: str | None) -> None:
    """The usage file: the flag, else ``usage_file`` in config (relative to the config file); validated now."""
    from linter.usage import UsageError, load_usage

    path = flag
    if path is None and config.usage_file:
        path = os.path.join(os.path.dirname(config_file or "."), config.usage_file)
    if path is None:
        return
    try:
        load_usage(path)
    except UsageError as exc:
        fail(str(exc))
    config.usage_file = path


def finish(result: Any, prepared: Prepared) -> NoReturn:
    """Write the baseline if asked, print errors and warnings to stderr, and exit with the contract's code."""
    lines, code = outcome(result, prepared)
    for line in lines:
        click.echo(line, err=True)
    sys.exit(code)


def outcome(result: Any, prepared: Prepared) -> tuple[list[str], int]:
    """Write the baseline if asked; the lines for stderr (errors, warnings) and the contract's exit code."""
    from linter.engine import exceeds, rebase
    from linter.suppress import write_baseline

    if prepared.write_baseline:
        anchor = prepared.options.anchor
        write_baseline(prepared.write_baseline, result.findings + [h.finding for h in result.hidden
                                                                   if h.by == "baseline"],
                       lambda p: rebase(p, anchor))
    lines = [f"finops-lint: error: {e.one_line()}" for e in result.errors]
    lines += [f"finops-lint: warning: {w.one_line()}" for w in result.warnings]
    if result.errors:
        return lines, EXIT_ERROR
    return lines, EXIT_FINDINGS if exceeds(result.findings, prepared.fail_on) else EXIT_OK


FORMATS = ["text", "json", "sarif", "junit", "github", "markdown"]
_REPORT_OPTIONS = [
    click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True),
    click.option("--output", "-o", type=click.Path(), default=None, help="Write the report to a file."),
    click.option("--verbose", "-v", is_flag=True, help="Text: show remediation, assumptions and price notes."),
    click.option("--color/--no-color", default=None,
                 help="Colour text output [default: on a TTY; NO_COLOR turns it off, FORCE_COLOR on]."),
]


def report_options(f: F) -> F:
    """Add the report options (--format, --output, --verbose, --color) every reporting command takes."""
    for option in reversed(_REPORT_OPTIONS):
        f = option(f)
    return f


def emit(text: str | Pieces, output: str | None, color: bool) -> None:
    """The report to ``output`` (a file) or to stdout."""
    if not isinstance(text, str):
        _emit_pieces(text, output)
        return
    if output:  # a file name that is not UTF-8 is written back as the bytes it was read as
        with open(output, "w", encoding="utf-8", errors="surrogateescape") as fh:
            fh.write(text)  # not text + "\n": that copied a report of hundreds of MB once more
            fh.write("\n")
    elif color or not text.isascii() or "\x1b" in text:
        click.echo(text, color=color)  # click strips escapes from uncoloured output, and copes with odd encodings
    else:  # plain ASCII (a JSON report), nothing to strip: 13 MB need not be searched for escapes
        sys.stdout.write(text)
        sys.stdout.write("\n")
        sys.stdout.flush()


def _emit_pieces(report: Pieces, output: str | None) -> None:
    """A JSON report in pieces (its inventory still in the file a child wrote it to): written as bytes, the
    file copied by the kernel where it can be; the same bytes ``emit`` writes for the report as one string."""
    if output:
        with open(output, "wb") as fh:
            report.write(fh)
            fh.write(b"\n")
        return
    sys.stdout.flush()
    binary = getattr(sys.stdout, "buffer", None)
    if binary is None:  # a stream that takes text only
        emit(report.text(), None, False)
        return
    report.write(binary)
    binary.write(b"\n")
    binary.flush()
