"""Turn invalid settings into one sentence each: the variable, the value received, what is allowed.

pydantic reports errors by field name with a long traceback; an operator sets environment
variables, so every sentence names ``SOTE_<FIELD>`` (or ``DAGSTER_HOME``) as typed in the shell.
"""

from __future__ import annotations

import os
import typing
from pathlib import Path

from annotated_types import Ge, Gt, Le, Lt
from pydantic import ValidationError

from pipelines.settings import ENV_PREFIX, WRITABLE_PATHS


def env_name(field: str) -> str:
    return ENV_PREFIX + field.upper()


def _bounds(metadata) -> tuple[str | None, str | None]:
    low = high = None
    for m in metadata:
        if isinstance(m, Ge):
            low = f"from {m.ge}"
        elif isinstance(m, Gt):
            low = f"greater than {m.gt}"
        elif isinstance(m, Le):
            high = f"to {m.le}"
        elif isinstance(m, Lt):
            high = f"below {m.lt}"
    return low, high


def allowed(field_info) -> str:
    """What a field accepts, in words."""
    ann = field_info.annotation
    if typing.get_origin(ann) is typing.Literal:
        return "one of: " + ", ".join(str(a) for a in typing.get_args(ann))
    low, high = _bounds(field_info.metadata)
    kind = {int: "a whole number", float: "a number", Path: "a file or folder path", str: "text"}.get(ann, str(ann))
    if low and high and low.startswith("from"):
        return f"{kind} {low} {high}"
    words = {"from": "of at least", "to": "of at most"}
    extra = " and ".join(" ".join([words.get(b.split()[0], b.split()[0]), *b.split()[1:]]) for b in (low, high) if b)
    return f"{kind} {extra}".strip()


def _shown(value) -> str:
    text = str(value)
    return repr(text if len(text) <= 80 else text[:77] + "...")


def describe_errors(exc: ValidationError, model) -> list[str]:
    lines = []
    for err in exc.errors(include_url=False):
        msg = err["msg"].removeprefix("Value error, ")
        if not err["loc"]:  # a model-level rule spanning several settings
            lines.append(f"Invalid settings: {msg}.")
            continue
        field = str(err["loc"][0])
        info = model.model_fields.get(field)
        if err["type"] == "value_error" or info is None:
            expected = msg
        else:
            expected = f"expected {allowed(info)}"
        lines.append(f"Invalid setting {env_name(field)}={_shown(err.get('input'))}: {expected}.")
    return lines


def _nearest_existing(path: Path) -> Path:
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def _path_problem(path: Path, must_exist_dir: bool = False) -> str | None:
    if must_exist_dir:
        return None if path.is_dir() else "expected an existing folder"
    existing = _nearest_existing(path)
    if existing == path:
        target = path if path.is_dir() else path.parent
        if not os.access(path, os.W_OK) or not os.access(target, os.W_OK | os.X_OK):
            return "it exists but this user cannot write it"
        return None
    if not existing.is_dir():
        return f"{existing} is a file, not a folder"
    if not os.access(existing, os.W_OK | os.X_OK):
        return f"cannot create it: folder {existing} is not writable by this user"
    return None


def path_problems(settings) -> list[str]:
    """Writable paths must be writable (or creatable); in replay mode the archive must exist."""
    lines = []
    for field in WRITABLE_PATHS:
        path, var = getattr(settings, field), env_name(field)
        if field == "dagster_home" and os.environ.get("DAGSTER_HOME"):
            path, var = Path(os.environ["DAGSTER_HOME"]), "DAGSTER_HOME"
        problem = _path_problem(path)
        if problem:
            lines.append(f"Invalid setting {var}={_shown(path)}: {problem}.")
    if settings.source_mode == "replay":
        problem = _path_problem(settings.replay_path, must_exist_dir=True)
        if problem:
            lines.append(f"Invalid setting {env_name('replay_path')}={_shown(settings.replay_path)}: {problem} "
                         f"with a replay archive ({env_name('source_mode')}=replay).")
    return lines
