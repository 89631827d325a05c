"""Kustomize's ``images`` transformer, as kustomize v5 applies it (api/filters/imagetag, api/internal/image).

Each entry, in order, rewrites every container image its ``name`` matches: the name is a regular expression that
must match the image up to an optional ``:tag`` and ``@sha256:`` digest. ``newName`` replaces the name; ``newTag``
and ``digest`` together give ``name:tag@digest``, ``newTag`` alone drops the digest, ``digest`` alone drops the tag,
``tagSuffix`` extends the tag. The entry is applied twice, as kustomize applies it: once to every ``containers`` and
``initContainers`` list anywhere in the object (its LegacyFilter), then to the pod spec paths of its field specs
(``spec``, ``spec.template.spec``): a ``tagSuffix`` lands twice on a Deployment's image (``:1.0-debug-debug``),
once on a CronJob's, as ``kubectl kustomize`` writes them.
"""

from __future__ import annotations

import re
from typing import Any

_TAG_AND_DIGEST = r"(:[a-zA-Z0-9_.{}-]*)?(@sha256:[a-zA-Z0-9_.{}-]*)?\Z"
_FIELDS = ("newName", "newTag", "digest", "tagSuffix")
# kustomize's default field specs for images (api/internal/konfig/builtinpluginconsts/images.go)
_POD_SPECS = (("spec",), ("spec", "template", "spec"))


class ImageError(ValueError):
    """An ``images`` entry kustomize refuses, in words."""


def apply_images(entries: list[Any], objects: list[dict[str, Any]], risky: re.Pattern[str]) -> None:
    """Rewrite the images of ``objects`` (in place) by each entry in turn; ``risky``: a pattern shape Python's
    backtracking matcher may take exponential time on (kustomize's RE2 does not)."""
    for entry in entries:
        if not isinstance(entry, dict) or not entry.get("name"):
            continue
        for key in ("name", *_FIELDS):
            value = entry.get(key)
            if value is not None and not isinstance(value, str):
                raise ImageError(f"images entry {entry.get('name')!r}: {key} {value!r} is not a string (kustomize: "
                                 f"cannot unmarshal {type(value).__name__} into a string); quote it")
        name = entry["name"]
        if len(name) > 253 or risky.search(name):
            raise ImageError(f"images name {name!r} repeats a repeated group, which Python's regular expressions "
                             "(unlike kustomize's RE2) may take exponential time to match")
        try:
            pattern = re.compile("^" + name + _TAG_AND_DIGEST)
        except re.error:
            continue  # kustomize ignores the compile error too (and then fails on it): no image is rewritten
        for data in objects:
            if data.get("kind") == "CustomResourceDefinition":
                continue
            _legacy(data, pattern, entry)
            for path in _POD_SPECS:
                spec = _at(data, path)
                for field in ("containers", "initContainers"):
                    _rewrite(spec.get(field) if spec else None, pattern, entry)


def _legacy(node: Any, pattern: re.Pattern[str], entry: dict[str, Any]) -> None:
    """Every ``containers``/``initContainers`` list, at any depth (children first, as kustomize walks)."""
    if isinstance(node, dict):
        for key, value in node.items():
            _legacy(value, pattern, entry)
            if key in ("containers", "initContainers"):
                _rewrite(value, pattern, entry)
    elif isinstance(node, list):
        for value in node:
            _legacy(value, pattern, entry)


def _rewrite(containers: Any, pattern: re.Pattern[str], entry: dict[str, Any]) -> None:
    if not isinstance(containers, list):
        return
    for c in containers:
        if isinstance(c, dict) and isinstance(c.get("image"), str) and pattern.search(c["image"]):
            c["image"] = new_image(c["image"], entry)


def new_image(image: str, entry: dict[str, Any]) -> str:
    """The image an entry whose name matched makes of ``image`` (kustomize's imageTagUpdater)."""
    name, tag, digest = split(image)
    new_tag, new_digest = entry.get("newTag") or "", entry.get("digest") or ""
    if entry.get("newName"):
        name = entry["newName"]
    if new_tag and new_digest:
        tag, digest = new_tag, new_digest
    elif new_tag:
        tag, digest = new_tag, ""
    elif new_digest:
        tag, digest = "", new_digest
    elif entry.get("tagSuffix"):
        tag, digest = tag + entry["tagSuffix"], ""
    return name + (":" + tag if tag else "") + ("@" + digest if digest else "")


def split(image: str) -> tuple[str, str, str]:
    """(name, tag, digest) as kustomize splits them: the first ``:`` or ``@`` after the first ``/`` (a registry's
    port, ``localhost:5000/app``, is part of the name)."""
    slash = image.find("/")
    offset = slash if slash > 0 else 0
    search = image[offset:]
    at, colon = search.find("@"), search.find(":")
    if colon < 0 and at < 0:
        return image, "", ""
    if at >= 0 and (at < colon or colon < 0):
        return image[:offset + at], "", image[offset + at + 1:]
    if at >= 0:
        return image[:offset + colon], image[offset + colon + 1:offset + at], image[offset + at + 1:]
    return image[:offset + colon], image[offset + colon + 1:], ""


def _at(data: dict[str, Any], path: tuple[str, ...]) -> dict[str, Any] | None:
    node: Any = data
    for key in path:
        node = node.get(key) if isinstance(node, dict) else None
    return node if isinstance(node, dict) else None
