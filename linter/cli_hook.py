"""``finops-lint hook [SCAN OPTIONS] FILES...``: the pre-commit entry point (linter/hook.py says what it scans)."""

from __future__ import annotations

import click


def split_args(tokens: tuple[str, ...], command: click.Command) -> tuple[list[str], list[str]]:
    """Separate ``command``'s options (with their values) from file names, in any order, as pre-commit
    puts the hook's ``args`` before the files."""
    takes_value = {name for p in command.params if isinstance(p, click.Option) and not p.is_flag
                   for name in p.opts}
    options: list[str] = []
    files: list[str] = []
    it = iter(tokens)
    for token in it:
        if token == "--":
            files.extend(it)
        elif token.startswith("-") and token != "-":
            options.append(token)
            if token in takes_value:
                options.append(next(it, ""))
        else:
            files.append(token)
    return options, files


@click.command(context_settings={"ignore_unknown_options": True, "help_option_names": ["-h", "--help"]})
@click.argument("tokens", nargs=-1, type=click.UNPROCESSED)
def hook(tokens: tuple[str, ...]) -> None:
    """Lint changed files with their context; fail only on findings in them.

    A changed .tf is read with its whole module directory and, for a child module, through the root
    modules of the repository that call it; a changed manifest is read as is. Any scan option may come
    before or after the files (e.g. --fail-on high, --var-file prod.tfvars, --config, --format github).
    """
    from linter.cli import scan
    from linter.hook import plan

    options, files = split_args(tokens, scan)
    target = plan(files)
    if not target.scan_paths:
        return
    args = [*target.scan_paths, *[arg for f in target.changed for arg in ("--filter", f)], *options]
    scan.main(args=args, prog_name="finops-lint hook", standalone_mode=True)
