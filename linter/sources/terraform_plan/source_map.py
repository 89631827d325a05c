"""Map plan addresses to the ``.tf`` file and line that declare them.

The configuration in the plan names each module call's source; local sources are directories next
to their caller, registry and git modules are where ``terraform init`` put them
(``.terraform/modules/modules.json``). Files are only parsed (never evaluated), once per directory,
and reading them records their ``finops-lint:ignore`` comments, so inline suppressions in the
``.tf`` source apply to plan findings. A module whose files are not here (no ``init`` run) maps to
its ``module`` block in the caller.
"""

from __future__ import annotations

import os
from typing import Any

from linter import files as fs
from linter.records import record
from linter.sources.terraform.module import ProviderConfig, TerraformLoader
from linter.sources.terraform_plan.configuration import Configuration, ModuleConfig, module_names

_LOCAL = ("./", "../")


@record(frozen=True, slots=True)
class Location:
    file: str
    line: int
    called_from: tuple[tuple[str, int], ...] = ()  # module blocks that lead here, outermost first
    note: str | None = None  # why the location is a module call rather than the resource block


def holds_terraform(directory: str) -> bool:
    try:
        return any(n.endswith((".tf", ".tf.json")) and not n.startswith(".") for n in os.listdir(directory))
    except OSError:
        return False


class SourceMap:
    def __init__(self, root: str, configuration: Configuration, display: Any) -> None:
        self.root = os.path.normpath(root)
        self.configuration = configuration
        self.loader = TerraformLoader(display)
        self._dirs: dict[tuple[str, ...], str | None] = {(): self.root}

    def directory(self, path: tuple[str, ...], module: ModuleConfig | None) -> str | None:
        """The directory holding a module's files, or None when they are not on disk."""
        if path in self._dirs:
            return self._dirs[path]
        found: str | None = None
        installed = self.loader.installed_module(self.root, ".".join(path))
        parent = self.directory(path[:-1], module.parent if module else None)
        source = module.source if module is not None else None
        if installed:
            found = installed
        elif parent is not None and source and source.startswith(_LOCAL):
            candidate = os.path.normpath(os.path.join(parent, source))
            found = candidate if fs.isdir(candidate) else None
        self._dirs[path] = found
        return found

    def locate(self, module_address: str, rtype: str, name: str) -> Location | None:
        names = module_names(module_address)
        called_from: list[tuple[str, int]] = []
        module: ModuleConfig | None = self.configuration.root
        for depth, call in enumerate(names):
            directory = self.directory(tuple(names[:depth]), module)
            block = self.loader.source(directory).modules.get(call) if directory else None
            child = module.child(call) if module is not None else None
            if block is None:
                return None
            if self.directory(tuple(names[:depth + 1]), child) is None:
                source = child.source if child is not None else None
                return Location(block.file, block.line, tuple(called_from),
                                f"declared in module.{call} ({source or 'source unknown'}), whose files are not "
                                "here; run terraform init to map it to its own file")
            called_from.append((block.file, block.line))
            module = child
        directory = self.directory(tuple(names), module)
        block = self.loader.source(directory).resources.get((rtype, name)) if directory else None
        if block is None:
            return None
        return Location(block.file, block.line, tuple(called_from))

    def root_providers(self) -> dict[str, ProviderConfig]:
        """The root module's provider blocks evaluated with the plan's variable values: a region set from a
        local value is not in the plan's configuration, but it is in the source."""
        from linter.sources.terraform.module import ModuleContext

        src = self.loader.source(self.root)
        if not src.providers:
            return {}
        ctx = ModuleContext(self.loader, src, "", dict(self.configuration.variables), {}, src.directory, 0,
                            (src.directory,))
        return dict(ctx.providers)
