"""``coursegen build --clean`` and ``coursegen diff-manifest``: incremental builds on the command line.

Registered through ``cli.EXTENSIONS``: ``register`` adds ``--clean`` to the existing ``build`` command
(and takes over its handler, which also reports a build that had nothing to do) and adds
``diff-manifest``, which tells a print shop or a school what changed between two releases.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..builders.contract import MANIFEST, Manifest
from ..diagnostics import CoursegenError
from .incremental import read_manifest

BUILDER_LABELS = {
    "leaflets": "Tờ rơi, tờ gấp",
    "decks": "Bộ thẻ Anki",
    "exports": "Ngân hàng câu hỏi (GIFT, Moodle XML, QTI)",
    "site": "Trang học",
    None: "Tệp khác",
}


def register(sub: argparse._SubParsersAction) -> None:
    build = sub.choices.get("build")
    if build is not None:
        build.add_argument("--clean", action="store_true",
                           help="dựng lại toàn bộ, không dùng lại kết quả của lần dựng trước")
        build.add_argument("--release", action="store_true",
                           help="bản phát hành để in: dừng lại nếu coursegen.yml còn địa chỉ, tên, liên hệ mẫu")
        build.set_defaults(func=cmd_build)
    diff = sub.add_parser("diff-manifest", help="so sánh hai bản phát hành (tệp manifest.json): tệp nào mới, đổi, bị bỏ")
    diff.add_argument("old", help="manifest.json của bản cũ (hoặc thư mục site/ chứa nó)")
    diff.add_argument("new", help="manifest.json của bản mới (hoặc thư mục site/ chứa nó)")
    diff.add_argument("--builder", action="append", choices=[k for k in BUILDER_LABELS if k],
                      help="chỉ xem một loại đầu ra, ví dụ --builder leaflets cho nhà in (có thể lặp lại)")
    diff.set_defaults(func=cmd_diff)


def cmd_build(args: argparse.Namespace) -> int:
    from .orchestrate import build_project
    from .outdir import check_output_dir

    out = Path(args.out) if args.out else None
    check_output_dir(Path(args.project), out or Path(args.project) / "site", chosen=out is not None)  # a build replaces the whole folder
    ctx = build_project(Path(args.project), out, strict=args.strict, clean=getattr(args, "clean", False),
                        release=getattr(args, "release", False))
    if ctx.unchanged:
        return 0
    notes = f" ({len(ctx.notes)} lưu ý ở trên)" if ctx.notes else ""
    print(f"Đã xây dựng xong vào {ctx.out_dir}: {ctx.rebuilt} phần dựng lại, {ctx.reused} phần dùng lại{notes}.",
          file=sys.stderr)
    return 0


def _load(argument: str) -> Manifest:
    path = Path(argument)
    if path.is_dir():
        path = path / MANIFEST
    manifest = read_manifest(path)
    if manifest is None:
        raise CoursegenError(f"{path}: không đọc được tệp manifest.json của coursegen")
    return manifest


def _changed_sources(old: dict, new: dict) -> list[str]:
    before, after = old.get("sources", {}), new.get("sources", {})
    return sorted(p for p in set(before) | set(after) if before.get(p) != after.get(p))


def diff_manifests(old: Manifest, new: Manifest, builders: list[str] | None = None) -> list[str]:
    """Vietnamese lines: per kind of output, what was added, changed and removed between two releases."""
    lines: list[str] = []
    old_out, new_out = old.outputs, new.outputs
    unchanged = 0
    groups: dict[object, list[str]] = {}
    for path in sorted(set(old_out) | set(new_out)):
        before, after = old_out.get(path), new_out.get(path)
        record = after or before or {}
        builder = record.get("builder")
        if builders and builder not in builders:
            continue
        course = f" (khóa {record['course']})" if record.get("course") else ""
        if before is None:
            groups.setdefault(builder, []).append(f"  mới   {path}{course}")
        elif after is None:
            groups.setdefault(builder, []).append(f"  bỏ    {path}{course}")
        elif before.get("sha256") != after.get("sha256"):
            sources = _changed_sources(before, after)
            why = f"; nguồn đổi: {', '.join(sources[:4])}{' …' if len(sources) > 4 else ''}" if sources else ""
            groups.setdefault(builder, []).append(f"  đổi   {path}{course}{why}")
        else:
            unchanged += 1
    order = [b for b in BUILDER_LABELS if b in groups] + [b for b in groups if b not in BUILDER_LABELS]
    for builder in order:
        entries = groups[builder]
        label = BUILDER_LABELS.get(builder, str(builder))  # type: ignore[arg-type]
        lines.append(f"{label}: {len(entries)} tệp mới, đổi hoặc bỏ")
        lines.extend(entries)
    if not groups:
        lines.append("Không có tệp nào mới, đổi hay bị bỏ.")
    lines.append(f"Giữ nguyên: {unchanged} tệp.")
    return lines


def cmd_diff(args: argparse.Namespace) -> int:
    old, new = _load(args.old), _load(args.new)
    print("\n".join(diff_manifests(old, new, args.builder)))
    return 0
