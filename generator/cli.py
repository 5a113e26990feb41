"""The ``coursegen`` command. Every user-facing message is Vietnamese; errors exit non-zero."""

from __future__ import annotations

import argparse
import errno
import importlib
import os
import sys
from pathlib import Path

from . import __version__
from .diagnostics import CoursegenError, SourceError, printable
from .source.loader import check_project

# Modules that add their own sub-commands through ``register(subparsers)``.
EXTENSIONS: list[str] = [
    "generator.source.scaffold",
    "generator.builders.leaflets.preflight",
    "generator.coverage.cli",
    "generator.build.buildcli",
]


def cmd_check(args: argparse.Namespace) -> int:
    corpus, diags = check_project(Path(args.project))
    for diagnostic in diags.sorted():
        print(diagnostic.format())
    errors, warnings = len(diags.errors), len(diags.warnings)
    failed = diags.failed(args.strict)
    if failed:
        print(f"Kiểm tra thất bại: {errors} lỗi, {warnings} cảnh báo.", file=sys.stderr)
        return 1
    assert corpus is not None
    lessons = sum(len(c.lessons) for c in corpus.courses)
    questions = sum(len(c.questions) for c in corpus.courses)
    print(
        f"Hợp lệ: {len(corpus.courses)} khóa học, {lessons} bài học, {questions} câu hỏi"
        f" ({warnings} cảnh báo).",
        file=sys.stderr,
    )
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    from .build.orchestrate import build_project
    from .build.outdir import check_output_dir

    out = Path(args.out) if args.out else None
    check_output_dir(Path(args.project), out or Path(args.project) / "site", chosen=out is not None)
    ctx = build_project(Path(args.project), out, strict=args.strict)
    notes = f" ({len(ctx.notes)} lưu ý ở trên)" if ctx.notes else ""
    print(f"Đã xây dựng xong vào {ctx.out_dir}{notes}.", file=sys.stderr)
    return 0


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="coursegen",
        description="Biên dịch học liệu dịch vụ công trực tuyến thành trang học, tờ rơi, bộ thẻ Anki và báo cáo độ phủ.",
    )
    parser.add_argument("--version", action="version", version=f"coursegen {__version__}")
    parser.add_argument("-C", "--project", default=".", help="thư mục dự án (mặc định: thư mục hiện tại)")
    sub = parser.add_subparsers(dest="command", metavar="LỆNH")
    sub.required = True

    check = sub.add_parser("check", help="kiểm tra toàn bộ học liệu, báo mọi lỗi cùng lúc")
    check.add_argument("--strict", action="store_true", help="coi cảnh báo là lỗi")
    check.set_defaults(func=cmd_check)

    build = sub.add_parser("build", help="xây dựng mọi đầu ra vào site/")
    build.add_argument("--strict", action="store_true", help="coi cảnh báo là lỗi")
    build.add_argument("--out", help="thư mục đầu ra (mặc định: site/ trong dự án)")
    build.set_defaults(func=cmd_build)

    for module in EXTENSIONS:
        importlib.import_module(module).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except SourceError as exc:
        for diagnostic in exc.diagnostics:
            print(diagnostic.format(), file=sys.stderr)
        print(f"Dừng lại: học liệu có {len(exc.diagnostics)} lỗi; không có gì bị ghi đè.", file=sys.stderr)
        return 1
    except CoursegenError as exc:
        print(printable(f"Lỗi: {exc}", keep_newlines=True), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Đã dừng theo yêu cầu; đầu ra cũ được giữ nguyên.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (`coursegen check | head`): stop quietly, as other command-line tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except OSError as exc:
        # A disk that is full, read-only or not ours: the user's machine, not coursegen, must change.
        print(f"Lỗi: {os_error_message(exc)}. Đầu ra cũ và cơ sở dữ liệu được giữ nguyên; sửa xong hãy chạy lại.",
              file=sys.stderr)
        return 1
    except Exception as exc:
        from .coverage.storage import database_error_message

        if (message := database_error_message(exc)) is not None:
            print(printable(f"Lỗi: {message}."), file=sys.stderr)
            return 1
        if not _storage_full(exc):
            raise  # a bug: the traceback is what a maintainer needs
        print("Lỗi: cơ sở dữ liệu không ghi được (ổ đĩa đã hết chỗ trống hoặc hỏng khi ghi); lần nhập đã được"
              " hủy, dữ liệu cũ được giữ nguyên. Hãy giải phóng chỗ trống rồi chạy lại.", file=sys.stderr)
        return 1


OS_REASONS = {
    errno.ENOSPC: "ổ đĩa đã hết chỗ trống",
    errno.EDQUOT: "đã vượt hạn mức dung lượng được cấp",
    errno.EROFS: "ổ đĩa chỉ cho phép đọc",
    errno.EACCES: "không có quyền truy cập",
    errno.EPERM: "không có quyền truy cập",
    errno.EIO: "lỗi đọc/ghi của thiết bị",
    errno.EMFILE: "mở quá nhiều tệp cùng lúc",
    errno.ENAMETOOLONG: "tên tệp quá dài",
}


def os_error_message(exc: OSError) -> str:
    """A Vietnamese sentence for an operating-system error, naming the file when known."""
    reason = OS_REASONS.get(exc.errno or 0, exc.strerror or str(exc))
    where = f" khi đọc/ghi {exc.filename}" if exc.filename else ""
    return f"lỗi hệ thống tệp{where}: {reason}"


def _storage_full(exc: Exception) -> bool:
    """SQLite's own words for a write the disk refused ("database or disk is full", "disk I/O error")."""
    return type(exc).__module__ == "sqlite3" and any(
        phrase in str(exc) for phrase in ("database or disk is full", "disk I/O error"))


if __name__ == "__main__":
    sys.exit(main())
