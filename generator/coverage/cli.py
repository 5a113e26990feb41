"""``coursegen coverage …``: import rosters and completion records, report coverage, erase a learner."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from ..diagnostics import CoursegenError
from ..model import Audience

# Heavy modules (the official geography list, openpyxl) are imported inside the commands: this module
# is imported by every ``coursegen`` run to register its sub-commands.
DEFAULT_TREND_DAYS = 90  # same as facts.DEFAULT_TREND_DAYS (checked by a test)
LEVELS = ("province", "commune", "unit")
MAX_PRINTED_REJECTIONS = 200


def _as_of(value: str) -> date:
    """A date in any form the files use (15/11/2025, 15-11-2025, 2025-11-15…), day before month."""
    from .aggregateinput import FIRST_DAY, LAST_DAY
    from .values import ValueProblem, parse_date

    try:
        day = parse_date(value)
    except ValueProblem as exc:
        raise argparse.ArgumentTypeError(f"{exc}; hoặc dạng NNNN-TT-NN (ví dụ 2025-11-15)") from None
    if not FIRST_DAY <= day <= LAST_DAY:  # windows and projections are dates counted from it
        raise argparse.ArgumentTypeError(f'ngày "{value}" nằm ngoài khoảng {FIRST_DAY:%d/%m/%Y}–{LAST_DAY:%d/%m/%Y}')
    return day


def _positive(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f'"{value}" phải là số nguyên dương')
    return int(value)


def _trend_days(value: str) -> int:
    from .aggregateinput import MAX_TREND_DAYS

    if len(value) > 6 or _positive(value) > MAX_TREND_DAYS:
        raise argparse.ArgumentTypeError(f'"{value[:20]}" ngày: tối đa {MAX_TREND_DAYS} (mười năm)')
    return int(value)


def _scale(value: str) -> float:
    try:
        number = float(value.replace(",", "."))
    except ValueError:
        number = 0
    if number <= 0:
        raise argparse.ArgumentTypeError(f'thang điểm "{value}" phải là số dương, ví dụ 10 hoặc 100')
    return number


def _database(args: argparse.Namespace, *, create: bool = True):
    from .database import open_database
    from .storage import default_location

    return open_database(args.db or default_location(Path(args.project)), create=create)


def _settings(project: Path):
    """Project settings without loading the courses (a roster import must not depend on them)."""
    from ..source.loader import ProjectLoader

    loader = ProjectLoader(project)
    return loader.load_settings() if (project / "coursegen.yml").is_file() else None


def _files(names: list[str]) -> list[Path]:
    paths = [Path(name) for name in names]
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        raise CoursegenError(f"không tìm thấy tệp: {', '.join(missing)}")
    return paths


def _print_summary(summary, db, rejects: Path | None) -> int:
    from .importing import write_rejections

    what = "danh sách người học" if summary.kind == "roster" else "kết quả học tập"
    err = sys.stderr
    print(f"Nhập {what}: {len(summary.files)} tệp, {summary.rows_read} dòng dữ liệu.", file=err)
    for table in summary.tables:
        encoding = f"bảng mã {table.encoding_label}; " if table.encoding else ""
        print(f"  {table.location}: {encoding}{table.description}", file=err)
    for warning in summary.warnings:
        print(f"Cảnh báo: {warning}", file=err)
    for note in summary.notes:
        print(f"Ghi chú: {note}", file=err)
    if summary.marks:
        print("Ký hiệu điểm danh đã gặp (số ô):", file=err)
        for (written, meaning), count in sorted(summary.marks.items(), key=lambda item: (-item[1], item[0])):
            print(f"  {written}: {meaning}, {count}", file=err)
    if summary.rejected_count:
        print(f"Dòng bị từ chối ({summary.rejected_count}), các dòng khác vẫn được nhập:", file=err)
        for rejection in summary.sorted_rejections()[:MAX_PRINTED_REJECTIONS]:
            print(f"  {rejection.format()}", file=err)
        if summary.rejected_count > MAX_PRINTED_REJECTIONS:
            print(f"  … và {summary.rejected_count - MAX_PRINTED_REJECTIONS} dòng khác"
                  " (dùng --rejects TỆP.csv để có đủ danh sách)", file=err)
    if rejects is not None and summary.rejected_count:
        written = write_rejections(rejects, summary)
        names = ", ".join(str(p) for p in written)
        left_out = summary.rejected_count - len(summary.rejections)
        if left_out:
            print(f"Đã ghi {len(summary.rejections)} dòng bị từ chối đầu tiên kèm lý do vào {names}; {left_out} dòng"
                  " bị từ chối khác KHÔNG được ghi (quá nhiều: thường cả tệp sai mẫu, hãy sửa lỗi chung rồi nhập lại"
                  " tệp gốc).", file=err)
        else:
            print(f"Đã ghi {len(summary.rejections)} dòng bị từ chối kèm lý do vào {names} (mỗi trang tính một tệp,"
                  " giữ tiêu đề cột gốc); sửa xong có thể nhập lại tệp đó.", file=err)
    verb = "Sẽ" if summary.dry_run else "Đã"
    print(f"{verb} nhập {summary.rows_imported} dòng:", file=err)
    for label, count in summary.changes.items():
        print(f"  {label}: {count}", file=err)
    for label, count in summary.unchanged.items():
        print(f"  {label}: {count}", file=err)
    for seen in summary.seen_before:
        print(f"Tệp này đã được nhập trước đây: {seen}.", file=err)
    if summary.dry_run:
        print("Chạy thử (--dry-run): không có gì được ghi vào cơ sở dữ liệu.", file=err)
    elif not summary.changed:
        print(f"Không có gì thay đổi trong {db.location}.", file=err)
    else:
        print(f"Đã ghi vào {db.location}.", file=err)
    return 1 if summary.rejected_count else 0


# -- commands --------------------------------------------------------------------------------------
def cmd_import_roster(args: argparse.Namespace) -> int:
    from .rosters import RosterOptions, import_rosters

    paths = _files(args.files)
    settings = _settings(Path(args.project))
    options = RosterOptions(
        audience=Audience(args.audience) if args.audience else None,
        school_year=args.school_year,
        year=args.year,
        province=args.province or (settings.province if settings else ""),
        unit=args.unit or "",
        encoding=args.encoding,
        sheet=args.sheet,
        class_name=args.class_name or "",
        include_hidden=args.include_hidden,
    )
    db = _database(args)
    try:
        summary = import_rosters(db, paths, options, dry_run=args.dry_run)
        return _print_summary(summary, db, Path(args.rejects) if args.rejects else None)
    finally:
        db.close()


def cmd_import_records(args: argparse.Namespace) -> int:
    from ..source.loader import load_corpus
    from .records import RecordOptions, import_records

    paths = _files(args.files)
    corpus = load_corpus(Path(args.project))
    options = RecordOptions(course=args.course, scale=args.scale, encoding=args.encoding, sheet=args.sheet,
                            include_hidden=args.include_hidden)
    db = _database(args)
    try:
        summary = import_records(db, corpus, paths, options, as_of=args.as_of, dry_run=args.dry_run)
        return _print_summary(summary, db, Path(args.rejects) if args.rejects else None)
    finally:
        db.close()


def make_report(db, corpus, as_of: date, *, courses: list[str] | None = None,
                trend_days: int = DEFAULT_TREND_DAYS, public: bool = False):
    """Facts from the database (storage.Database), summed into a report.CoverageReport for the corpus;
    notes explain periods without a roster."""
    from .facts import CourseRule, coverage_facts, latest_period, window_for
    from .report import build_report

    chosen = list(corpus.courses)
    if courses:
        known = {c.id for c in corpus.courses}
        unknown = [c for c in courses if c not in known]
        if unknown:
            raise CoursegenError(f"không có khóa học {', '.join(unknown)} (các khóa học: {', '.join(sorted(known))})")
        chosen = [c for c in corpus.courses if c.id in courses]
    facts = coverage_facts(db, [CourseRule.of(c) for c in chosen], as_of, trend_days)
    report = build_report(facts, chosen, corpus.settings.coverage, as_of, trend_days=trend_days, public=public)
    for section in report.sections:
        if section.rows:
            continue
        window = window_for(section.course.audience, as_of, trend_days)
        latest = latest_period(db, section.course.audience)
        hint = f" (danh sách gần nhất: {latest})" if latest else ""
        report.notes.append(
            f"khóa học {section.course.id}: chưa có danh sách {section.course.audience.label.lower()}"
            f" cho {window.period_label}{hint}; hãy nhập danh sách người học của kỳ này"
        )
    return report


def cmd_report(args: argparse.Namespace) -> int:
    from ..source.loader import load_corpus
    from .export import render_table
    from .report import Level

    corpus = load_corpus(Path(args.project))
    db = _database(args, create=False)
    try:
        report = make_report(db, corpus, args.as_of, courses=args.course, trend_days=args.trend_days,
                             public=args.public)
    finally:
        db.close()
    levels = tuple(Level(level) for level in args.level) if args.level else tuple(Level)
    if args.out is None and args.pdf is None:
        sys.stdout.write(render_table(report, levels))
        return 0
    kind = "bản công bố: chỉ số liệu tổng hợp, đã ẩn nhóm nhỏ" if args.public else "bản nội bộ"
    for out in _write_outputs(report, args, corpus):
        print(f"Đã ghi báo cáo độ phủ ({kind}) vào {out}.", file=sys.stderr)
    for note in report.notes:
        print(f"Lưu ý: {note}", file=sys.stderr)
    return 0


def _write_outputs(report, args: argparse.Namespace, corpus) -> list[Path]:
    """Write ``--out`` and ``--pdf``; the official heading (and its warnings) only when a document needs it."""
    from .official import heading_for

    outs = [Path(p) for p in (args.out, args.pdf) if p]
    for out in outs:
        if out.suffix.lower() not in (".csv", ".xlsx", ".pdf"):
            raise CoursegenError(f"không biết ghi báo cáo dạng {out.suffix or '(không đuôi)'}: {out};"
                                 " hãy dùng tệp .csv, .xlsx hoặc .pdf")
    if args.pdf and Path(args.pdf).suffix.lower() != ".pdf":
        raise CoursegenError(f"--pdf cần tệp có đuôi .pdf: {args.pdf}")
    if any(out.suffix.lower() == ".pdf" for out in outs):
        from .document import register_serif

        register_serif()  # a missing font stops the command before any file is written
    heading = None
    if any(out.suffix.lower() in (".xlsx", ".pdf") for out in outs):
        heading = heading_for(corpus.settings, args.issued or date.today())
        for warning in heading.warnings:
            print(warning, file=sys.stderr)
    for out in outs:
        _write_report(report, out, corpus, heading)
    return outs


def _write_report(report, out: Path, corpus, heading=None) -> None:
    from .export import write_csv, write_xlsx

    suffix = out.suffix.lower()
    if suffix == ".csv":
        write_csv(report, out)
    elif suffix == ".xlsx":
        write_xlsx(report, out, publisher=corpus.settings.publisher, province=corpus.settings.province,
                   heading=heading)
    else:
        from .document import write_pdf

        write_pdf(report, out, heading, province=corpus.settings.province)


def cmd_export(args: argparse.Namespace) -> int:
    from ..source.loader import load_corpus
    from .aggregate import export_aggregate, write_aggregate

    corpus = load_corpus(Path(args.project))
    out = Path(args.out)
    if out.suffix.lower() != ".json":
        raise CoursegenError(f"tệp số liệu tổng hợp phải có đuôi .json: {out}")
    db = _database(args, create=False)
    try:
        aggregate = export_aggregate(db, corpus, args.as_of, trend_days=args.trend_days)
    finally:
        db.close()
    write_aggregate(aggregate, out)
    units = len({(f.province_code, f.commune_code, f.unit_name) for f in aggregate.facts})
    print(f"Đã xuất số liệu tổng hợp (không có họ tên, mã người học) của {len(aggregate.provinces())} tỉnh,"
          f" {units} đơn vị vào {out} (mã {aggregate.id[:12]}).", file=sys.stderr)
    return 0


def cmd_merge(args: argparse.Namespace) -> int:
    from ..source.loader import load_corpus
    from .aggregate import courses_for, read_many, write_aggregate
    from .export import render_table
    from .report import Level, build_report

    corpus = load_corpus(Path(args.project))
    merged = read_many(_files(args.files))
    out = Path(args.out) if args.out else None
    print(f"Gộp {len(args.files)} tệp: {len(merged.provinces())} tỉnh, số liệu đến ngày {merged.as_of:%d/%m/%Y}.",
          file=sys.stderr)
    if out is not None and out.suffix.lower() == ".json":
        write_aggregate(merged, out)
        print(f"Đã ghi số liệu tổng hợp đã gộp vào {out} (mã {merged.id[:12]}).", file=sys.stderr)
        if args.pdf is None:
            return 0
        args.out = out = None  # the JSON is written; the PDF report follows
    report = build_report(merged.facts, courses_for(merged, corpus), corpus.settings.coverage, merged.as_of,
                          trend_days=merged.trend_days, public=args.public)
    if out is None and args.pdf is None:
        levels = tuple(Level(level) for level in args.level) if args.level else tuple(Level)
        sys.stdout.write(render_table(report, levels))
        return 0
    for written in _write_outputs(report, args, corpus):
        print(f"Đã ghi báo cáo độ phủ toàn quốc vào {written}.", file=sys.stderr)
    return 0


def cmd_erase(args: argparse.Namespace) -> int:
    from .privacy import erase_learners
    from .values import ValueProblem, learner_code

    audience = Audience(args.audience)
    codes = []
    for raw in args.codes:
        try:
            codes.append(learner_code(raw))
        except ValueProblem as exc:
            raise CoursegenError(str(exc)) from None
    db = _database(args, create=False)
    try:
        counts = erase_learners(db, audience, codes, dry_run=args.dry_run)
    finally:
        db.close()
    verb = "Sẽ xóa" if args.dry_run else "Đã xóa"
    print(
        f"{verb} {counts['learners']} người học cùng {counts['enrollments']} lượt ghi danh,"
        f" {counts['attendance']} lượt điểm danh và {counts['quiz_results']} kết quả kiểm tra.",
        file=sys.stderr,
    )
    if not args.dry_run:
        print("Hãy xóa cả người học này khỏi các tệp danh sách gốc, nếu không lần nhập lại sẽ thêm họ trở lại.",
              file=sys.stderr)
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    from .migrations import current_version

    db = _database(args, create=False)
    try:
        print(f"Cơ sở dữ liệu: {db.location} (lược đồ phiên bản {current_version(db)})")
        rows = db.query(
            "SELECT l.audience, e.period, COUNT(*) FROM enrollments e JOIN learners l ON l.id = e.learner_id"
            " GROUP BY l.audience, e.period ORDER BY l.audience, e.period"
        )
        for audience, period, count in rows:
            print(f"  {Audience(audience).label}, {period}: {count} người học")
        attendance = db.scalar("SELECT COUNT(*) FROM attendance")
        results = db.scalar("SELECT COUNT(*) FROM quiz_results")
        files = db.scalar("SELECT COUNT(*) FROM imports")
        print(f"  {attendance} lượt điểm danh, {results} kết quả kiểm tra, {files} tệp đã nhập")
    finally:
        db.close()
    return 0


# -- argparse --------------------------------------------------------------------------------------
def register(sub: argparse._SubParsersAction) -> None:
    coverage = sub.add_parser("coverage", help="nhập danh sách, kết quả học tập và báo cáo độ phủ")
    commands = coverage.add_subparsers(dest="coverage_command", metavar="VIỆC")
    commands.required = True

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", help="tệp cơ sở dữ liệu SQLite hoặc địa chỉ postgresql://người-dùng@máy/tên-csdl"
                        " (mặc định: coverage.sqlite3 trong thư mục dự án)")

    importing = argparse.ArgumentParser(add_help=False)
    importing.add_argument("files", nargs="+", metavar="TỆP", help="tệp .csv, .xlsx hoặc .ods")
    importing.add_argument("--dry-run", action="store_true", help="chỉ cho biết sẽ thay đổi gì, không ghi")
    importing.add_argument("--rejects", metavar="TỆP.csv", help="ghi các dòng bị từ chối kèm lý do vào tệp này")
    importing.add_argument("--encoding", help="bảng mã của tệp CSV nếu tự nhận sai (utf-8, utf-16, cp1258)")
    importing.add_argument("--sheet", help="chỉ đọc trang tính này của tệp .xlsx hoặc .ods (kể cả khi đang ẩn)")
    importing.add_argument("--include-hidden", action="store_true",
                           help="nhập cả dòng và trang tính đang ẩn (mặc định: bỏ qua và liệt kê)")

    roster = commands.add_parser("import-roster", parents=[common, importing],
                                 help="nhập danh sách học sinh, cán bộ hoặc thành viên tổ công nghệ số")
    roster.add_argument("--audience", choices=[a.value for a in Audience],
                        help="đối tượng (mặc định: học sinh nếu tệp có cột Lớp)")
    roster.add_argument("--school-year", help="năm học của danh sách học sinh, ví dụ 2025-2026")
    roster.add_argument("--year", help="năm của danh sách cán bộ hoặc tổ công nghệ số, ví dụ 2025")
    roster.add_argument("--province", help="tỉnh/thành phố cho tệp không có cột Tỉnh (mặc định: province trong coursegen.yml)")
    roster.add_argument("--unit", help="tên trường, cơ quan hoặc tổ cho tệp không có cột Trường/Đơn vị")
    roster.add_argument("--class", dest="class_name", metavar="LỚP",
                        help="lớp cho danh sách không có cột Lớp (mặc định: theo tiêu đề, ví dụ \"LỚP 10A2\")")
    roster.set_defaults(func=cmd_import_roster)

    records = commands.add_parser("import-records", parents=[common, importing],
                                  help="nhập điểm danh buổi học và điểm kiểm tra")
    records.add_argument("--course", help="mã khóa học cho tệp không có cột Khóa học")
    records.add_argument("--scale", type=_scale, default=10.0, help="điểm tối đa khi tệp không ghi (mặc định 10)")
    records.add_argument("--as-of", type=_as_of, default=date.today(), metavar="NGÀY",
                         help="ngày hôm nay (mặc định: ngày của máy); ngày sau đó bị từ chối")
    records.set_defaults(func=cmd_import_records)

    report = commands.add_parser("report", parents=[common], help="báo cáo độ phủ theo tỉnh, xã, đơn vị")
    report.add_argument("--as-of", type=_as_of, default=date.today(), metavar="NGÀY",
                        help="tính số liệu đến ngày này (mặc định: hôm nay)")
    report.add_argument("--course", action="append", help="chỉ khóa học này (lặp lại được)")
    report.add_argument("--level", action="append", choices=LEVELS,
                        help="chỉ in cấp này trên màn hình (lặp lại được)")
    report.add_argument("--out", help="ghi ra tệp .csv, .xlsx hoặc .pdf thay vì in bảng")
    report.add_argument("--pdf", metavar="TỆP.pdf", help="ghi thêm báo cáo bằng văn bản (PDF, thể thức Nghị định 30/2020/NĐ-CP)")
    report.add_argument("--issued", type=_as_of, metavar="NNNN-TT-NN",
                        help="ngày ký báo cáo ghi ở dòng địa danh, ngày (mặc định: hôm nay)")
    report.add_argument("--public", action="store_true",
                        help=f"bản công bố: ẩn các nhóm dưới ngưỡng (suppress_below, mặc định {10}) người học")
    report.add_argument("--trend-days", type=_trend_days, default=DEFAULT_TREND_DAYS,
                        help=f"số ngày gần nhất dùng để ước tính tốc độ (mặc định {DEFAULT_TREND_DAYS})")
    report.set_defaults(func=cmd_report)

    export = commands.add_parser("export", parents=[common],
                                 help="xuất số liệu tổng hợp (không có họ tên, mã người học) để gộp toàn quốc")
    export.add_argument("--out", required=True, metavar="TỆP.json", help="tệp số liệu tổng hợp sẽ ghi")
    export.add_argument("--as-of", type=_as_of, default=date.today(), metavar="NGÀY",
                        help="tính số liệu đến ngày này (mặc định: hôm nay); các tỉnh gộp với nhau phải cùng ngày")
    export.add_argument("--trend-days", type=_trend_days, default=DEFAULT_TREND_DAYS,
                        help=f"số ngày gần nhất dùng để ước tính tốc độ (mặc định {DEFAULT_TREND_DAYS})")
    export.set_defaults(func=cmd_export)

    merge = commands.add_parser("merge", help="gộp số liệu tổng hợp của nhiều tỉnh thành báo cáo toàn quốc")
    merge.add_argument("files", nargs="+", metavar="TỆP.json", help="tệp do coursegen coverage export ghi")
    merge.add_argument("--out", help="ghi ra tệp .csv, .xlsx, .pdf hoặc .json (số liệu đã gộp) thay vì in bảng")
    merge.add_argument("--pdf", metavar="TỆP.pdf", help="ghi thêm báo cáo bằng văn bản (PDF)")
    merge.add_argument("--issued", type=_as_of, metavar="NNNN-TT-NN", help="ngày ký báo cáo (mặc định: hôm nay)")
    merge.add_argument("--level", action="append", choices=LEVELS, help="chỉ in cấp này trên màn hình")
    merge.add_argument("--public", action="store_true", help="bản công bố: ẩn các nhóm nhỏ (suppress_below)")
    merge.set_defaults(func=cmd_merge)

    erase = commands.add_parser("erase", parents=[common], help="xóa hẳn một người học theo yêu cầu")
    erase.add_argument("codes", nargs="+", metavar="MÃ", help="mã người học")
    erase.add_argument("--audience", required=True, choices=[a.value for a in Audience], help="đối tượng")
    erase.add_argument("--dry-run", action="store_true", help="chỉ cho biết sẽ xóa gì")
    erase.set_defaults(func=cmd_erase)

    status = commands.add_parser("status", parents=[common], help="số người học và bản ghi trong cơ sở dữ liệu")
    status.set_defaults(func=cmd_status)
