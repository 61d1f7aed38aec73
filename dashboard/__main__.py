"""Command line: `python -m dashboard {check,export,render,release,publish,serve,geodata,gazetteer}`."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from dashboard.config import Config, load_config
from dashboard.data.errors import DataError

if TYPE_CHECKING:
    from dashboard.data.model import Model


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m dashboard", description=__doc__)
    parser.add_argument(
        "--boundaries",
        metavar="FILE",
        help="municipal boundary GeoJSON (default: $MA_TOWNS_GEOJSON or the shipped geodata/ma_towns.geojson)",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("check", help="validate data/ and the boundaries, print a summary")
    export = commands.add_parser(
        "export", help="write the per-town, per-agency or per-policy-event table, or every record (CSV)"
    )
    export.add_argument("table", choices=["towns", "agencies", "events", "records"])
    export.add_argument("--format", choices=["csv", "geojson"], default="csv")
    export.add_argument("--out", metavar="FILE", help="write here instead of standard output")
    render = commands.add_parser("render", help="write slide images of named views (offline, with kaleido)")
    render.add_argument("--out", required=True, metavar="DIR", help="folder for the images (created if missing)")
    render.add_argument(
        "--view",
        action="append",
        metavar="NAME=QUERY",
        help="a view as the page's URL query string, e.g. briefcam='?vendors=briefcam&town=35' (repeatable; "
        "default: the built-in views clearview, lan-tel-briefcam-coplink, clearview-records, use-or-communication, "
        "metro-boston)",
    )
    render.add_argument("--format", action="append", choices=["png", "svg", "pdf"], help="repeatable; default png")
    render.add_argument("--size", action="append", choices=["wide", "square", "card"], help="repeatable; default wide")
    release = commands.add_parser(
        "release", help="write the data version's release: DIR/<name>/ and DIR/<name>.zip (Data Package, checksums)"
    )
    release.add_argument("out", nargs="?", metavar="DIR", help="folder for the release (created if missing)")
    release.add_argument(
        "--citation", metavar="FILE", help="also write the citation file here (the repository's CITATION.cff)"
    )
    publish = commands.add_parser(
        "publish", help="write the static snapshot: every page, API answer, download and link card, for any static host"
    )
    publish.add_argument("out", metavar="DIR", help="folder for the snapshot (new, empty, or an earlier snapshot)")
    publish.add_argument("--no-images", action="store_true", help="leave out the link cards (they link to the app)")
    publish.add_argument("--public-url", metavar="URL", help="where the snapshot is published ($DASHBOARD_PUBLIC_URL)")
    publish.add_argument(
        "--app-url", metavar="URL", help="the live interactive map ($DASHBOARD_APP_URL; default: the public address)"
    )
    serve = commands.add_parser("serve", help="start the dashboard (development server)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8050)
    serve.add_argument("--debug", action="store_true", help="Dash debug mode (never on a public server)")
    geodata = commands.add_parser("geodata", help="prepare the shipped boundary file from the MassGIS layer")
    geodata_commands = geodata.add_subparsers(dest="geodata_command", required=True)
    build = geodata_commands.add_parser(
        "build", help="simplify, round and check the 351 towns, then write them (ignores --boundaries)"
    )
    build.add_argument(
        "--from",
        dest="source",
        required=True,
        metavar="FILE",
        help="the MassGIS layer TOWNSSURVEY_POLYM as GeoJSON in longitude/latitude",
    )
    build.add_argument(
        "--out", metavar="FILE", help="where to write (default: geodata/ma_towns.geojson in the repository)"
    )
    gazetteer = commands.add_parser("gazetteer", help="build data/places.csv from the USPS names and ZIP codes")
    gazetteer_commands = gazetteer.add_subparsers(dest="gazetteer_command", required=True)
    gazetteer_commands.add_parser(
        "build",
        help="place every Massachusetts ZIP code and USPS name in its town by location, add the reviewed rows of "
        'data/places_reviewed.csv, and write data/places.csv (needs pip install -e ".[gazetteer]")',
    )
    translations = commands.add_parser("translations", help="the gettext catalogues of the map's languages (Babel)")
    translations.add_argument(
        "step",
        choices=("extract", "update"),
        help="extract: write dashboard/locales/messages.pot from the code, the templates and data/; "
        "update: merge it into every language's catalogue (new messages empty, changed ones marked fuzzy)",
    )
    return parser


def _gazetteer(boundaries: str | None) -> int:
    """Build data/places.csv; runs without the model, which reads the file being written."""
    from dashboard.data.gazetteer import write_gazetteer

    config = load_config(boundaries=boundaries)
    try:
        path, left_out = write_gazetteer(config.data_dir, config.boundaries)
    except DataError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    for line in left_out:
        print(f"left out: {line}", file=sys.stderr)
    print(path)
    return 0


def _geodata(args: argparse.Namespace) -> int:
    """Build the shipped boundary file; runs without the model, whose boundary file may not exist yet."""
    from dashboard.data.prepare import DEFAULT_OUT, write_geodata

    try:
        print(write_geodata(Path(args.source), Path(args.out) if args.out else DEFAULT_OUT))
    except DataError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


def _export(model: Model, table: str, fmt: str) -> str:
    from dashboard.exports import tables as export

    if table == "records":
        from dashboard.site.records import records_csv

        return records_csv(model)

    tables = {
        "towns": (export.towns_table, export.towns_geojson),
        "agencies": (export.agencies_table, export.agencies_geojson),
        "events": (export.events_table, export.events_geojson),
    }
    build, writer = tables[table]
    frame = build(model)
    if fmt == "csv":
        return export.to_csv(frame)
    return writer(model, frame) + "\n"


def _views(specs: list[str] | None) -> dict[str, str] | str:
    """NAME=QUERY pairs, or an error message."""
    from dashboard.exports.images import NAMED_VIEWS

    if not specs:
        return dict(NAMED_VIEWS)
    views = {}
    for spec in specs:
        name, sep, query = spec.partition("=")
        if not sep or not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,60}", name):
            return f"--view {spec!r}: write NAME=QUERY with a NAME of lower-case letters, digits and dashes"
        views[name] = query
    return views


def _render(model: Model, args: argparse.Namespace) -> int:
    from dashboard.exports.images import image_filename, kaleido_session, render_image
    from dashboard.state.view import choices_of, parse_query

    views = _views(args.view)
    if isinstance(views, str):
        print(f"error: {views}", file=sys.stderr)
        return 2
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    choices = choices_of(model.catalog, model.towns.index, model.agencies.index)
    with kaleido_session():
        for name, query in views.items():
            state = parse_query(query, choices)
            for size in args.size or ["wide"]:
                for fmt in args.format or ["png"]:
                    path = out / image_filename(name, size, fmt)
                    path.write_bytes(render_image(model, state, fmt, size))
                    print(path)
    return 0


def _release(model: Model, data_dir: Path, args: argparse.Namespace) -> int:
    from dashboard.exports.citation import citation_cff
    from dashboard.exports.release import write_release

    if not args.out and not args.citation:
        print("error: name a folder for the release (DIR), or --citation CITATION.cff, or both", file=sys.stderr)
        return 2
    if args.citation:
        Path(args.citation).write_text(citation_cff(model, data_dir), encoding="utf-8")
        print(args.citation)
    if args.out:
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        try:
            print(write_release(model, data_dir, out))
        except DataError as error:
            print(f"error: {error}", file=sys.stderr)
            return 2
    return 0


def _publish(model: Model, config: Config, args: argparse.Namespace) -> int:
    from dataclasses import replace

    from dashboard.config import check_app_url, check_public_url
    from dashboard.publish import publish

    try:
        if args.public_url:
            config = replace(config, public_url=check_public_url(args.public_url))
        if args.app_url:
            config = replace(config, app_url=check_app_url(args.app_url))
        files = publish(
            model, config, Path(args.out), images=not args.no_images, progress=lambda m: print(m, file=sys.stderr)
        )
    except DataError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"{args.out}: {len(files)} files, {sum(map(len, files.values()))} bytes, data version {model.data_version}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; data problems print a message and exit 2, never a traceback."""
    args = _parser().parse_args(argv)
    if args.command == "geodata":
        return _geodata(args)
    if args.command == "gazetteer":
        return _gazetteer(args.boundaries)
    if args.command == "translations":
        from dashboard import translations

        return translations.extract() if args.step == "extract" else translations.update()
    try:
        from dashboard.data.model import build_model

        config = load_config(boundaries=args.boundaries)
        model = build_model(config)
    except DataError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if args.command == "check":
        from dashboard.data.summary import summary

        print(summary(model))
    elif args.command == "export":
        if args.table == "records" and args.format != "csv":
            print("error: the records export is CSV only: drop --format geojson", file=sys.stderr)
            return 2
        text = _export(model, args.table, args.format)
        if args.out:
            Path(args.out).write_text(text, encoding="utf-8")
        else:
            sys.stdout.write(text)
        # On standard error, so that the CSV stays a plain table (the GeoJSON carries it as a member too).
        print(f"data version {model.data_version}", file=sys.stderr)
    elif args.command == "render":
        return _render(model, args)
    elif args.command == "release":
        return _release(model, config.data_dir, args)
    elif args.command == "publish":
        return _publish(model, config, args)
    elif args.command == "serve":
        from dashboard.server import create_app

        create_app(model, config.frame_ancestors, config.data_dir, config.cache_dir).run(
            host=args.host, port=args.port, debug=args.debug
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
