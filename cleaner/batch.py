"""Clean every file under RAW into OUT: one bad file never costs the rest of the batch.

`RAW/a/b.txt` becomes `OUT/a/b.txt` (or `.json`); HTML inputs keep their stem
(`RAW/a/c.html` -> `OUT/a/c.txt`). Failures are collected with the path and the reason;
RAW is only ever read.

(Handed over to the corpus engineer: containers, --jobs, manifest, engines extend this.)
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from cleaner.document import Document
from cleaner.pipeline import DEFAULT_MAX_SHARE, clean_bytes
from cleaner.read import UnreadableInput
from cleaner.rules import RuleSet
from cleaner.write import SUFFIX, OutputFormat, render, write_atomic


@dataclass(frozen=True)
class BatchOptions:
    fmt: OutputFormat = "txt"
    max_share: float = DEFAULT_MAX_SHARE
    follow_symlinks: bool = False
    # A news article is kilobytes; a 200 MB "page" is a log or a dump. Refusing it with a
    # clear error keeps memory bounded; the limit is a flag, so nothing is silently lost.
    max_input_bytes: int = 64 * 1024 * 1024


@dataclass(frozen=True)
class Failure:
    path: str  # as the user named it: RAW joined with the relative path
    reason: str


@dataclass
class BatchResult:
    outputs: dict[str, Path] = field(default_factory=dict)  # relative output path -> file
    failures: list[Failure] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)  # skipped files, per-document warnings
    documents: int = 0


def check_paths(raw: Path, out: Path) -> str | None:
    """The usage errors that must stop a run before anything is written."""
    if not raw.exists():
        return f"{raw}: no such file or directory"
    raw_root = raw.resolve() if raw.is_dir() else raw.resolve().parent
    out_resolved = out.resolve()
    if out_resolved == raw_root or out_resolved.is_relative_to(raw_root):
        return f"output directory {out} is inside the input {raw}: RAW is never written"
    if out.exists() and not out.is_dir():
        return f"{out}: exists and is not a directory"
    return None


def discover(
    raw: Path, follow_symlinks: bool = False
) -> Iterator[tuple[Path, PurePosixPath | str]]:
    """Yield (file, relative path) in a stable order, or (path, reason) for skipped entries.

    Hidden files and directories (`.git`, `.DS_Store`) are not inputs. Symlinks are skipped
    unless asked: a link can point outside RAW, and we only clean what the user gave us.
    """
    if raw.is_file():
        yield raw, PurePosixPath(raw.name)
        return
    for dirpath, dirnames, filenames in os.walk(raw, followlinks=follow_symlinks):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        base = Path(dirpath)
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            path = base / name
            if path.is_symlink() and not follow_symlinks:
                yield path, "symbolic link not followed (use --follow-symlinks)"
                continue
            yield path, PurePosixPath(path.relative_to(raw).as_posix())


def output_relpath(rel: PurePosixPath, fmt: OutputFormat, taken: set[str]) -> PurePosixPath:
    """`a/b.html` -> `a/b.txt`; if `a/b.txt` is already taken by another input, `a/b.html.txt`."""
    candidate = rel.with_name(rel.stem + SUFFIX[fmt]) if rel.suffix else rel.with_name(
        rel.name + SUFFIX[fmt])
    if str(candidate) in taken:
        candidate = rel.with_name(rel.name + SUFFIX[fmt])
    return candidate


def clean_file(path: Path, source: str, rules: RuleSet, options: BatchOptions) -> Document:
    try:
        size = path.stat().st_size
        if size > options.max_input_bytes:
            raise UnreadableInput(
                f"file too large ({size / 2**20:.0f} MiB > {options.max_input_bytes / 2**20:.0f}"
                " MiB; raise the limit with --max-input-mb)")
        data = path.read_bytes()
    except PermissionError:
        raise UnreadableInput("permission denied") from None
    except IsADirectoryError:
        raise UnreadableInput("is a directory") from None
    return clean_bytes(data, source, rules, max_share=options.max_share)


def run_batch(
    raw: Path,
    out: Path,
    rules: RuleSet,
    options: BatchOptions,
    on_document: Callable[[Document], None] | None = None,
) -> BatchResult:
    result = BatchResult()
    for path, rel in discover(raw, options.follow_symlinks):
        if isinstance(rel, str):
            result.notices.append(f"{path}: skipped: {rel}")
            continue
        try:
            doc = clean_file(path, str(rel), rules, options)
        except (UnreadableInput, OSError) as error:
            result.failures.append(Failure(str(path), str(error) or type(error).__name__))
            continue
        except Exception as error:  # noqa: BLE001 - one bad document must not stop the batch
            result.failures.append(Failure(str(path), f"internal error: {error!r}"))
            continue
        out_rel = output_relpath(rel, options.fmt, set(result.outputs))
        target = out / out_rel
        write_atomic(target, render(doc, options.fmt))
        result.outputs[str(out_rel)] = target
        result.documents += 1
        result.notices.extend(f"{path}: warning: {w}" for w in doc.warnings)
        if on_document is not None:
            on_document(doc)
    return result
