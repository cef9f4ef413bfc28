"""Load policies in two phases and refuse them with every problem at once.

Phase 1 reads each YAML file and validates its shape (pydantic, unknown keys refused). Phase 2
indexes every named thing across all files, then checks duplicates, cross-references and the
safeguards. Problems are reported as ``PATH:LINE:COLUMN: [rule] message``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from socialcredit.errors import PolicyError, Problem
from socialcredit.policy import crossref, narrowing, safeguards, scorecard_checks, textcheck
from socialcredit.policy.findings import Finding
from socialcredit.policy.index import ParsedFile, PolicyIndex, build_index
from socialcredit.policy.models import PolicyFile
from socialcredit.policy.policyset import PolicyInfo, PolicySet
from socialcredit.policy.yamlsource import SourceDocument, read_yaml

POLICY_SUFFIXES = (".yaml", ".yml")


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files as given; directories contribute their ``*.yaml``/``*.yml`` files, sorted."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.iterdir() if p.suffix in POLICY_SUFFIXES)
        else:
            files.append(path)
    return files


def _schema_message(error: ErrorDetails) -> str:
    loc = error["loc"]
    key = loc[-1] if loc else ""
    if error["type"] == "extra_forbidden":
        return f"unknown key {key!r}: it is not part of the policy format (a typo?)"
    if error["type"] == "missing":
        return f"required key {key!r} is missing"
    where = ".".join(str(part) for part in loc)
    return f"{where}: {error['msg']}" if where else error["msg"]


def parse_file(path: Path) -> tuple[ParsedFile | None, list[Problem]]:
    """Phase 1 for one file: YAML syntax, then the shape of the format."""
    doc = read_yaml(path)
    if doc.problems or doc.data is None:
        empty = [] if doc.problems else [Problem(doc.path, "schema", "the file is empty")]
        return None, doc.problems + empty
    try:
        model = PolicyFile.model_validate(doc.data)
    except ValidationError as exc:
        problems = [
            doc.locate(
                [p for p in e["loc"] if not isinstance(p, dict)], "schema", _schema_message(e)
            )
            for e in exc.errors()
        ]
        return None, problems
    return ParsedFile(doc, model), []


def _file_findings(parsed: ParsedFile, index: PolicyIndex) -> Iterator[Finding]:
    model = parsed.model
    yield from safeguards.check_header(model.policy, ("policy",))
    for i, service in enumerate(model.services):
        yield from narrowing.check_service(service, ("services", i), index.base)
    for i, item in enumerate(model.items):
        yield from safeguards.check_item(item, ("items", i))
        yield from narrowing.check_item(item, ("items", i), index.base)
        yield from crossref.check_item_refs(item, ("items", i), index)
    for i, score_model in enumerate(model.score_models):
        yield from crossref.check_grades(score_model, ("score_models", i))
        yield from scorecard_checks.check_score_model(score_model, ("score_models", i), index)
    for i, lst in enumerate(model.lists):
        yield from safeguards.check_list(lst, ("lists", i), index)
        yield from narrowing.check_list_entries(lst, ("lists", i), index)
        yield from crossref.check_list_refs(lst, ("lists", i), index)
    for i, memo in enumerate(model.memoranda):
        loc = ("memoranda", i)
        yield from safeguards.check_memorandum(memo, loc, index)
        for j, measure in enumerate(memo.measures):
            yield from narrowing.check_measure(memo, measure, (*loc, "measures", j), index)
        yield from crossref.check_memorandum_refs(memo, loc, index)
    yield from textcheck.file_text_findings(model, index)


def _locate(doc: SourceDocument, findings: Iterable[Finding]) -> list[Problem]:
    return [doc.locate(f.loc, f.rule, f.message) for f in findings]


def check_files(files: Sequence[Path]) -> tuple[list[ParsedFile], list[Problem]]:
    """Run both phases; return the parsed files and every problem found."""
    index, problems = _check(files)
    return index.accepted, problems


def _check(files: Sequence[Path]) -> tuple[PolicyIndex, list[Problem]]:
    parsed: list[ParsedFile] = []
    problems: list[Problem] = []
    for path in files:
        result, found = parse_file(path)
        problems += found
        if result is not None:
            parsed.append(result)
    index = build_index(parsed)
    problems += index.problems
    for result in index.accepted:  # a file refused as a duplicate policy is not checked further
        problems += _locate(result.doc, _file_findings(result, index))
    problems.sort(key=lambda p: (p.location, p.line or 0, p.column or 0, p.rule))
    return index, problems


def _compile(index: PolicyIndex) -> PolicySet:
    infos = tuple(
        PolicyInfo(
            id=p.model.policy.id,
            version=p.model.policy.version,
            title=p.model.policy.title,
            source=p.doc.path,
            sha256=p.doc.sha256,
            objection_review_days=p.model.policy.objection_review_days,
            objection_review_in=p.model.policy.objection_review_in,
        )
        for p in index.accepted
    )
    return PolicySet(
        policies=infos,
        items={k: v.obj for k, v in index.items.items()},
        item_policy=dict(index.item_policy),
        models={k: v.obj for k, v in index.models.items()},
        lists={k: v.obj for k, v in index.lists.items()},
        memoranda={k: v.obj for k, v in index.memoranda.items()},
        services={k: v.obj for k, v in index.services.items()},
    )


def load_policies(paths: Iterable[Path]) -> PolicySet:
    """Load and validate policies from files and directories; raise :class:`PolicyError`."""
    files = expand_paths(paths)
    if not files:
        raise PolicyError("no policy files were given", [])
    index, problems = _check(files)
    if problems:
        count = len(problems)
        raise PolicyError(f"the policy was refused: {count} problem(s)", problems)
    return _compile(index)
