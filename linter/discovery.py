"""Find what to scan: Terraform module directories, Kubernetes YAML, Pulumi projects and Pulumi JSON.

A directory holding ``.tf``/``.tf.json`` files is one module. Directories that another
scanned directory calls as a local module are not scanned again as roots: their resources
appear through the caller, addressed ``module.name...``. Symlink loops and unreadable
directories are reported, never followed forever.
"""

from __future__ import annotations

import os
import re
from dataclasses import field

from linter import files as fs
from linter.config import CONFIG_FILE_NAMES
from linter.files import outside_boundary, read_all, too_large
from linter.filters import PathFilter
from linter.inputs import listed
from linter.model import Skipped
from linter.records import record

SKIP_DIRS = frozenset({".git", ".terraform", "node_modules", ".venv", "venv", "__pycache__", ".tox", ".mypy_cache",
                       ".pytest_cache", ".ruff_cache", ".terragrunt-cache"})
_LOCAL_SOURCE = re.compile(rb'source\s*=\s*"(\.{1,2}/[^"]*)"')


@record
class Discovered:
    terraform_dirs: list[str] = field(default_factory=list)
    yaml_files: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    explicit_files: set[str] = field(default_factory=set)
    missing: list[str] = field(default_factory=list)  # path arguments that do not exist: a usage error
    pulumi_projects: list[str] = field(default_factory=list)  # Pulumi.yaml paths
    pulumi_json: list[str] = field(default_factory=list)  # stack exports / previews named on the command line


def _is_tf(name: str) -> bool:
    return name.endswith((".tf", ".tf.json")) and not name.startswith(".")


NOT_MANIFESTS = frozenset({*CONFIG_FILE_NAMES, ".pre-commit-config.yaml", ".pre-commit-hooks.yaml"})


def _is_yaml(name: str) -> bool:
    """A YAML file by its name: ``.yaml``/``.yml``, and ``Kustomization``, the one name kustomize reads without
    an extension (kustomization.yaml, kustomization.yml, Kustomization: api/konfig/general.go)."""
    return (name.endswith((".yaml", ".yml")) and name not in NOT_MANIFESTS and not _is_pulumi_config(name)) or \
        name == "Kustomization"


PULUMI_PROJECT_FILES = ("Pulumi.yaml", "Pulumi.yml")


def _is_pulumi_config(name: str) -> bool:
    """Pulumi.yaml and Pulumi.<stack>.yaml are Pulumi's, not Kubernetes manifests; Main.yaml is checked by
    directory (a Pulumi YAML program's)."""
    return (name.startswith("Pulumi.") and name.endswith((".yaml", ".yml"))) or name == "PulumiPolicy.yaml"


def discover(paths: list[str], display: object, exclude: PathFilter | None = None) -> Discovered:
    show = display  # callable: absolute path -> path shown to the user
    found = Discovered()
    tf_dirs: dict[str, None] = {}
    yaml_files: dict[str, None] = {}
    exclude = exclude or PathFilter()
    for path in paths:
        if not fs.lexists(path):
            found.missing.append(path)
            continue
        why = exclude.match(path) if exclude else None
        if why:
            found.skipped.append(Skipped(file=show(path), reason=f"excluded by {why}"))  # type: ignore[operator]
            continue
        if fs.isfile(path):
            name = os.path.basename(path)
            if _is_tf(name) or name.endswith((".tfvars", ".tfvars.json")):
                tf_dirs[os.path.dirname(os.path.abspath(path))] = None
            elif _is_pulumi_config(name) or _in_pulumi_project(path):
                project = _pulumi_project_of(path)
                if project and project not in found.pulumi_projects:
                    found.pulumi_projects.append(project)
            elif name.endswith(".json"):
                found.pulumi_json.append(os.path.abspath(path))
            elif _is_yaml(name):
                big = too_large(path)
                if big:
                    found.skipped.append(Skipped(file=show(path), reason=big))  # type: ignore[operator]
                    continue
                yaml_files[os.path.abspath(path)] = None
                found.explicit_files.add(os.path.abspath(path))
            else:
                found.skipped.append(Skipped(file=show(path), reason="not a supported file type"))  # type: ignore[operator]
            continue
        if not fs.isdir(path):
            found.skipped.append(Skipped(file=show(path), reason="no such file or directory"))  # type: ignore[operator]
            continue
        _walk(os.path.abspath(path), tf_dirs, yaml_files, found, show, exclude)
    found.terraform_dirs = _roots(list(tf_dirs))
    found.yaml_files = _without_patches(list(yaml_files), found, show)
    return found


BICEP = ("Bicep template: finops-lint reads Terraform, OpenTofu, Pulumi and Kubernetes, not Bicep or ARM; its "
         "resources are not in the report")
# YAML files named as templates (rendered by Terraform's templatefile(), envsubst, Jinja, gomplate before deploy)
YAML_TEMPLATE_SUFFIXES = (".yaml.tpl", ".yml.tpl", ".yaml.tmpl", ".yml.tmpl", ".yaml-template", ".yml-template",
                          ".yaml.template", ".yml.template", ".yaml.j2", ".yml.j2", ".yaml.jinja", ".yaml.in")
YAML_TEMPLATE = ("template of Kubernetes manifests that no Terraform manifest resource in this scan renders: its "
                 "objects are not in the report; render it (templatefile(), envsubst, Jinja) and scan the output")
_MANIFEST_HEAD = re.compile(r"^apiVersion:[ \t]*\S.*^kind:|^kind:[ \t]*\S.*^apiVersion:", re.M | re.S)


def _manifest_template(path: str) -> bool:
    """A YAML template whose first 64 KB hold a Kubernetes object (top-level apiVersion and kind)."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(65536).decode("utf-8", "replace")
    except OSError:
        return False
    return _MANIFEST_HEAD.search(head) is not None
_KUSTOMIZATIONS = ("kustomization.yaml", "kustomization.yml", "Kustomization")


def _without_patches(yaml_files: list[str], found: Discovered, show: object) -> list[str]:
    """The YAML files less the Kustomize patches a kustomization of the scan lists (``patches``,
    ``patchesStrategicMerge``, ``patchesJson6902``): a patch is a fragment of an object, not one (a Deployment
    patch that only sets GPU limits has no labels, no image, no replicas of its own)."""
    patches: dict[str, str] = {}
    for path in yaml_files:
        if os.path.basename(path) in _KUSTOMIZATIONS:
            for patch in _patches_of(path):
                patches.setdefault(patch, path)
    if not patches:
        return yaml_files
    kept = []
    for path in yaml_files:
        listed_in = patches.get(path)
        if listed_in is None:
            kept.append(path)
            continue
        found.skipped.append(Skipped(file=show(path), reason=f"Kustomize patch (listed in {show(listed_in)}), "  # type: ignore[operator]
                                     "not a manifest; run `kubectl kustomize` and scan the output"))
    return kept


def _patches_of(kustomization: str) -> list[str]:
    """The files a kustomization names as patches, as absolute paths; none when it cannot be read."""
    import yaml

    from linter.files import UnreadableFile, read_text

    try:
        doc = yaml.load(read_text(kustomization), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (UnreadableFile, yaml.YAMLError, RecursionError):
        return []
    if not isinstance(doc, dict):
        return []
    names: list[str] = []
    for key in ("patches", "patchesStrategicMerge", "patchesJson6902"):
        for item in doc.get(key) or []:
            name = item.get("path") if isinstance(item, dict) else item
            if isinstance(name, str) and "\n" not in name and name.strip():  # an inline patch is YAML text
                names.append(os.path.normpath(os.path.join(os.path.dirname(kustomization), name.strip())))
    return names


def _walk(top: str, tf_dirs: dict[str, None], yaml_files: dict[str, None], found: Discovered, show: object,
          exclude: PathFilter) -> None:
    seen: set[str] = set()
    stack = [top]
    while stack:
        directory = stack.pop()
        real = os.path.realpath(directory)
        if real in seen:
            found.skipped.append(Skipped(file=show(directory),  # type: ignore[operator]
                                         reason="symlink loop (directory already scanned); not followed"))
            continue
        seen.add(real)
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError as exc:
            found.skipped.append(Skipped(file=show(directory), reason=f"cannot list directory: {exc.strerror}"))  # type: ignore[operator]
            continue
        listed(directory, entries)  # the replay's record of it, from these entries
        subdirs = []
        names = {e.name for e in entries}
        pulumi = next((n for n in PULUMI_PROJECT_FILES if n in names), None)
        if pulumi:
            found.pulumi_projects.append(os.path.join(directory, pulumi))
        for entry in entries:
            try:
                is_dir = entry.is_dir()
                is_file = entry.is_file()
            except OSError:
                is_dir = is_file = False
            if exclude and exclude.match(entry.path):
                continue  # silently: an excluded tree is not news in every report
            escaped = outside_boundary(entry.path) if (is_dir or is_file) and entry.is_symlink() else None
            if escaped:
                found.skipped.append(Skipped(file=show(entry.path), reason=escaped))  # type: ignore[operator]
                continue
            if is_dir:
                if entry.name not in SKIP_DIRS:
                    subdirs.append(entry.path)
            elif is_file:
                if _is_tf(entry.name):
                    tf_dirs[directory] = None
                elif _is_yaml(entry.name) and not (pulumi and entry.name == "Main.yaml"):
                    big = too_large(entry.path)
                    if big:
                        found.skipped.append(Skipped(file=show(entry.path), reason=big))  # type: ignore[operator]
                    else:
                        yaml_files[entry.path] = None
                elif entry.name.endswith(".bicep"):  # infrastructure code of a kind not read: said, not passed over
                    found.skipped.append(Skipped(file=show(entry.path), reason=BICEP))  # type: ignore[operator]
                elif entry.name.endswith(YAML_TEMPLATE_SUFFIXES) and _manifest_template(entry.path):
                    found.skipped.append(Skipped(file=show(entry.path), reason=YAML_TEMPLATE))  # type: ignore[operator]
            elif entry.is_symlink() and not os.path.exists(entry.path):
                found.skipped.append(Skipped(file=show(entry.path), reason="broken symlink"))  # type: ignore[operator]
            elif _is_tf(entry.name) or _is_yaml(entry.name):  # a named pipe (reading one waits forever), a device
                special = fs.special_file(entry.path)
                if special:
                    found.skipped.append(Skipped(file=show(entry.path), reason=special))  # type: ignore[operator]
        stack.extend(reversed(subdirs))


def _pulumi_project_of(path: str) -> str | None:
    directory = os.path.dirname(os.path.abspath(path))
    for name in PULUMI_PROJECT_FILES:
        if fs.isfile(os.path.join(directory, name)):
            return os.path.join(directory, name)
    return None


def _in_pulumi_project(path: str) -> bool:
    """A program file named on the command line (``__main__.py``, ``Main.yaml``) means its project."""
    return os.path.basename(path) in ("__main__.py", "Main.yaml") and _pulumi_project_of(path) is not None


def local_module_calls(directory: str) -> set[str]:
    """The directories that the ``.tf`` files of ``directory`` call as local modules (``source = "./..."``)."""
    called: set[str] = set()
    try:
        names = os.listdir(directory)
    except OSError:
        return called
    for name in names:
        if not name.endswith(".tf"):
            continue
        try:
            data = read_all(os.path.join(directory, name), 2_000_000)
        except OSError:
            continue
        if b"module" not in data:
            continue
        for m in _LOCAL_SOURCE.finditer(data):
            called.add(os.path.normpath(os.path.join(directory, m.group(1).decode("utf-8", "replace"))))
    return called


def _roots(dirs: list[str]) -> list[str]:
    """Drop directories that a scanned directory calls as a local module."""
    called: set[str] = set()
    for d in dirs:
        called |= local_module_calls(d)
    return [d for d in dirs if os.path.normpath(d) not in called]
