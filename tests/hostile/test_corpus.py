"""Every case of the hostile corpus gives its expected error or its expected escaped output, and never a
traceback. See corpus.py for the case format."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import MINI, run_coursegen
from tests.hostile.corpus import all_cases, inject, prepare_project
from tests.hostile.outputs import output_seen, squash

DIAGNOSTIC = re.compile(r"^(?P<path>[^\s:]+):(?P<line>\d+): (?P<field>\([^)]*\)|[^\s:]+): (?P<message>.+)$")


def test_corpus_has_at_least_forty_cases_of_every_kind():
    cases = all_cases()
    kinds = {kind: [c for c in cases if c.kind == kind] for kind in ("check", "inject", "roster", "records")}
    assert len(cases) >= 40
    assert all(len(found) >= 3 for found in kinds.values()), {k: len(v) for k, v in kinds.items()}
    for case in cases:
        assert not any(p.is_symlink() for p in case.directory.rglob("*")), f"{case.name}: links are made by the test"


# -- sources ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("case", all_cases("check"), ids=lambda c: c.name)
def test_source_case(case, tmp_path: Path):
    project = prepare_project(case, tmp_path)
    result = run_coursegen("-C", str(project), "check", timeout=120)
    report = f"\n--- stdout\n{result.stdout}--- stderr\n{result.stderr}"
    assert "Traceback" not in result.stderr, report
    actual = []
    for line in result.stdout.splitlines():
        match = DIAGNOSTIC.match(line)
        assert match is not None, f"not a 'path:line: field: message' line: {line!r}{report}"
        actual.append(match)
    unmatched = list(actual)
    missing = []
    for wanted in case.spec["diagnostics"]:
        want = DIAGNOSTIC.match(wanted)
        assert want is not None, f"{case.name}: bad expected diagnostic {wanted!r}"
        hit = next((a for a in unmatched if (a["path"], a["line"], a["field"]) == (want["path"], want["line"], want["field"])
                    and want["message"] in a["message"]), None)
        if hit is None:
            missing.append(wanted)
        else:
            unmatched.remove(hit)
    assert not missing, "expected but not reported:\n" + "\n".join(missing) + report
    assert not unmatched, "reported but not expected:\n" + "\n".join(a.group(0) for a in unmatched) + report
    assert result.returncode == case.spec.get("exit", 1), report


# -- injection: one project with every payload, built once ---------------------------------------------
@pytest.fixture(scope="module")
def injected_site(tmp_path_factory) -> Path:
    project = tmp_path_factory.mktemp("inject") / "project"
    shutil.copytree(MINI, project)
    for case in all_cases("inject"):
        inject(project, case)
    check = run_coursegen("-C", str(project), "check")
    assert check.returncode == 0, check.stdout + check.stderr
    result = run_coursegen("-C", str(project), "build")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    return project / "site"


@pytest.mark.parametrize("case", all_cases("inject"), ids=lambda c: c.name)
def test_injected_payload_is_text_everywhere(case, injected_site: Path):
    payload = squash(case.spec["payload"])
    assert case.name in payload, f"{case.name}: the payload must carry the case name as its marker"
    shown = "".join(case.spec.get("shown", case.spec["payload"]).split())  # line breaks differ by output
    for target in case.spec["lands_in"]:
        seen = output_seen(injected_site, target)
        assert not seen.live, f"{target}: the payload became live markup: {seen.live}"
        assert shown in "".join(seen.text.split()), f"{target}: {case.spec.get('shown', payload)!r} is not shown as text"
