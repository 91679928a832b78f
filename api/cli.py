"""The ``hubgraph`` command line: thin commands over functions of the lower layers."""

from __future__ import annotations

import copy
import fcntl
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

import click
import pyoxigraph as ox

from api.settings import SETTINGS, Settings, load_settings, remote_options
from graph.errors import HubgraphError
from graph.export import EXPORT_FORMATS, export
from graph.stats import stats as store_stats
from graph.store import MEMORY, Store
from graph.store_remote import SCHEMES as REMOTE_SCHEMES

__all__ = ["main", "cli"]

EPILOG = """\b
Examples:
  hubgraph ingest ror data/sample/ror/*.json
  hubgraph ingest mesh data/sample/mesh/*.xml
  hubgraph ingest pubmed data/sample/pubmed/*.xml.gz
  hubgraph stats --json
  hubgraph query "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }" --format csv
  hubgraph export --format nquads -o graph.nq
  hubgraph sources
  hubgraph sources remove data/sample/pubmed/boston.xml.gz
  hubgraph backup backups/today       # while the server runs; 'hubgraph restore' brings it back
  hubgraph serve                      # http://127.0.0.1:8000/sparql, /api/..., /id/...

\b
Settings (environment variables):
""" + "\n".join(f"  {s.env:<22} {s.help} (default: {s.default})" for s in SETTINGS)

RESULT_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}


def _open_store(ctx: click.Context, read_only: bool = False) -> Store:
    settings: Settings = ctx.obj
    return Store.open(settings.store, settings.base_uri, read_only=read_only, remote=remote_options(settings))


@click.group(epilog=EPILOG, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--store", help="Store location (overrides HUBGRAPH_STORE).")
@click.pass_context
def cli(ctx: click.Context, store: str | None) -> None:
    """hubgraph: a knowledge graph of hospital-university research partnerships."""
    ctx.obj = load_settings(store=store)


def _kinds() -> list[str]:
    from ingest.kinds import CONVERTERS

    return sorted(CONVERTERS)


@cli.command(epilog="\b\nExamples:\n  hubgraph ingest pubmed ../shared/data/pubmed/alzforum/*.xml.gz\n"
             "  hubgraph ingest ror ror-data.json\n  hubgraph ingest mesh desc2025.xml\n"
             "  hubgraph ingest table data/sample/tables")
@click.argument("kind", type=click.Choice(_kinds()))
@click.argument("files", nargs=-1, required=True, type=click.Path())
@click.option("--progress/--no-progress", default=None, help="Show progress bars (default: on a terminal).")
@click.option("--defer-summaries", is_flag=True,
              help="Leave the figures pages show stale, for a later ingest (or the server) to refresh: "
                   "saves time when a script runs many ingests in a row.")
@click.pass_context
def ingest(ctx: click.Context, kind: str, files: tuple[str, ...], progress: bool | None,
           defer_summaries: bool) -> None:
    """Ingest source FILES of KIND (pubmed, mesh, ror; table takes folders) into the store.

    Each file becomes one named graph with provenance. An unchanged file is
    skipped; a changed one replaces its graph. Bad records are skipped and
    listed; a file that cannot be parsed stops the command and changes nothing.
    """
    from ingest.curation import read_curation
    from ingest.kinds import CONVERTERS
    from ingest.pipeline import ingest_files

    store = _open_store(ctx)
    show = sys.stderr.isatty() if progress is None else progress
    people = read_curation(ctx.obj.curation)
    reports = ingest_files(store, CONVERTERS[kind](store), files, progress=show, people=people,
                           summaries=not defer_summaries)
    skipped = [reason for r in reports for reason in r.skipped]
    for report in reports:
        click.echo(report.summary())
    for warning in (w for r in reports for w in r.warnings):
        click.echo(f"  warning: {warning}", err=True)
    for reason in skipped[:20]:
        click.echo(f"  skipped: {reason}", err=True)
    if len(skipped) > 20:
        click.echo(f"  ... and {len(skipped) - 20} more skipped records", err=True)
    records = sum(r.records for r in reports)
    written = sum(r.triples for r in reports if r.status != "unchanged")
    click.echo(f"{len(reports)} files: {records} records read, {written} triples written, "
               f"{len(skipped)} records skipped")
    if not defer_summaries:
        _refresh_summaries(store)


def _refresh_summaries(store: Store) -> None:
    """Compute the figures pages show (graph.summaries) unless they are current already."""
    from graph import summaries

    if summaries.is_current(store):
        return
    start = time.perf_counter()
    summaries.refresh(store)
    store.flush()
    click.echo(f"summaries refreshed in {time.perf_counter() - start:.1f} s")


@cli.command(epilog="\b\nExamples:\n  hubgraph resolve\n  hubgraph resolve --report\n"
             "  HUBGRAPH_CURATION=curation.toml hubgraph resolve --report")
@click.option("--report", "show_report", is_flag=True,
              help="List the lowest-confidence links and the largest clusters for review.")
@click.pass_context
def resolve(ctx: click.Context, show_report: bool) -> None:
    """Re-run identity resolution over the whole graph (after editing the curation file).

    Mentions (authorships, table rows) are clustered into persons; the curation
    file (HUBGRAPH_CURATION) always wins. Person IRIs stay stable; merged-away
    IRIs resolve to their replacement through owl:sameAs.
    """
    from ingest.curation import read_curation
    from ingest.resolve import resolve_store

    store = _open_store(ctx)
    report = resolve_store(store, read_curation(ctx.obj.curation))
    store.flush()
    click.echo(f"{report.mentions} mentions resolved to {report.persons} persons in {report.seconds:.1f} s "
               f"({report.added} links added, {report.deleted} removed, {report.retired} retired IRIs, "
               f"{report.removed} people removed by the curation file, "
               f"{report.device_links} trial devices linked to FDA devices)")
    if not show_report:
        return
    click.echo("\nLowest-confidence links (confidence, mention, person, evidence):")
    for confidence, mention, key, evidence in report.weakest:
        click.echo(f"  {confidence:.2f}  {mention}  {key}  {', '.join(evidence)}")
    click.echo("\nLargest clusters (mentions, person, name):")
    for size, key, name in report.largest:
        click.echo(f"  {size:>5}  {key}  {name}")


@cli.command(epilog="\b\nExample:\n  hubgraph stats --json")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.pass_context
def stats(ctx: click.Context, as_json: bool) -> None:
    """Triples, entity counts and ingested sources."""
    figures = store_stats(_open_store(ctx, read_only=True))
    if as_json:
        click.echo(json.dumps(figures, indent=2))
        return
    click.echo(f"triples: {figures['triples']}")
    for key, value in figures["counts"].items():
        click.echo(f"{key + ':':<14} {value}")
    click.echo(f"sources: {len(figures['sources'])}")


@cli.command(epilog="\b\nExamples:\n  hubgraph query 'SELECT ?p ?name WHERE { ?p foaf:name ?name } LIMIT 5'\n"
             "  hubgraph query --file people.rq --format csv > people.csv")
@click.argument("sparql", required=False)
@click.option("--file", "query_file", type=click.File("r"), help="Read the query from a file.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "tsv", "turtle"]),
              default="table", show_default=True)
@click.pass_context
def query(ctx: click.Context, sparql: str | None, query_file: Any, fmt: str) -> None:
    """Run a SPARQL query over the graph.

    json, csv and tsv are the W3C SPARQL 1.1 results formats; turtle is for
    CONSTRUCT and DESCRIBE. Standard prefixes (foaf, vivo, bibo, org, skos,
    dcterms, prov, schema, mesh, hg, ...) are predeclared.
    """
    from graph.namespaces import sparql_prefixes

    text = query_file.read() if query_file else sparql
    if not text:
        raise click.UsageError("give a query, or --file FILE")
    result = _open_store(ctx, read_only=True).query(sparql_prefixes() + text)
    out = sys.stdout.buffer
    if isinstance(result, ox.QueryTriples):
        if fmt not in ("turtle", "table"):
            raise click.UsageError("CONSTRUCT and DESCRIBE results print as --format turtle")
        result.serialize(out, ox.RdfFormat.TURTLE)
    elif fmt == "turtle":
        raise click.UsageError("--format turtle is for CONSTRUCT and DESCRIBE queries")
    elif fmt == "table":
        click.echo(_table(result))
    else:
        result.serialize(out, RESULT_FORMATS[fmt])
    out.flush()


def _table(result: Any) -> str:
    if isinstance(result, ox.QueryBoolean):
        return "true" if bool(result) else "false"
    names = [v.value for v in result.variables]
    rows = [[_cell(row[n]) for n in names] for row in result]
    widths = [max([len(n)] + [len(r[i]) for r in rows]) for i, n in enumerate(names)]
    lines = ["  ".join(n.ljust(w) for n, w in zip(names, widths))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths)) for r in rows]
    lines.append(f"({len(rows)} rows)")
    return "\n".join(lines)


def _cell(term: Any) -> str:
    return "" if term is None else str(term.value)


@cli.command("export", epilog="\b\nExamples:\n  hubgraph export --format nquads -o graph.nq\n"
             "  hubgraph export --format graphml -o people.graphml")
@click.option("--format", "fmt", type=click.Choice(sorted(EXPORT_FORMATS)), required=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), required=True)
@click.pass_context
def export_cmd(ctx: click.Context, fmt: str, output: str) -> None:
    """Write the public graph to a file.

    nquads keeps every source graph and the provenance; turtle and jsonld write
    the union as triples; graphml writes the people projections (co-authorship,
    person-organisation, person-topic) for network tools.
    """
    with open(output, "wb") as handle:
        export(_open_store(ctx, read_only=True), fmt, handle)
    click.echo(f"wrote {output}")


@cli.group(invoke_without_command=True, epilog="\b\nExamples:\n  hubgraph sources\n"
           "  hubgraph sources remove pubmed_0_to_99.xml.gz")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def sources(ctx: click.Context, as_json: bool) -> None:
    """List ingested sources (or remove one with 'sources remove')."""
    if ctx.invoked_subcommand is not None:
        return
    listed = _open_store(ctx, read_only=True).sources()
    if as_json:
        click.echo(json.dumps([s.as_dict() for s in listed], indent=2))
        return
    for s in listed:
        click.echo(f"{s.kind:<9} {s.name:<40} {s.records:>7} records {s.triples:>9} triples  "
                   f"{s.loaded_at}  {s.graph}")


@sources.command("remove")
@click.argument("source")
@click.pass_context
def sources_remove(ctx: click.Context, source: str) -> None:
    """Remove SOURCE (its graph IRI, file path or file name) and its triples."""
    store = _open_store(ctx)
    resolved = str(Path(source).resolve())
    matches = [s for s in store.sources() if source in (s.graph, s.name, s.path) or s.path == resolved]
    if len(matches) != 1:
        found = "no source" if not matches else f"{len(matches)} sources"
        raise click.ClickException(f"{found} matches '{source}'; see 'hubgraph sources'")
    from ingest.curation import read_curation
    from ingest.resolve import resolve_store

    removed = store.remove_source(matches[0].graph)
    resolve_store(store, read_curation(ctx.obj.curation))
    store.flush()
    click.echo(f"removed {removed.kind} {removed.name} ({removed.triples} triples)")


@cli.command(epilog="\b\nExamples:\n  hubgraph backup backups/2026-11-29\n"
             "  HUBGRAPH_STORE=/srv/hubgraph hubgraph backup /mnt/backups/hubgraph-$(date +%F)")
@click.argument("target", type=click.Path())
@click.pass_context
def backup(ctx: click.Context, target: str) -> None:
    """Copy the on-disk store to the new folder TARGET, consistently, while a server runs
    (not during an ingest; restore it with 'hubgraph restore')."""
    start = time.perf_counter()
    store = _open_store(ctx, read_only=True)
    store.backup(target)
    click.echo(f"backed up {store.location} to {target} ({store.triple_count()} triples) "
               f"in {time.perf_counter() - start:.1f} s")


@cli.command(epilog="\b\nExamples:\n  HUBGRAPH_STORE=./hubgraph-restored hubgraph restore backups/2026-11-29")
@click.argument("backup_folder", type=click.Path(exists=True, file_okay=False))
@click.pass_context
def restore(ctx: click.Context, backup_folder: str) -> None:
    """Restore BACKUP_FOLDER (made by 'hubgraph backup') as the store (HUBGRAPH_STORE or
    --store), which must be a new or empty folder."""
    settings: Settings = ctx.obj
    store = Store.restore(backup_folder, settings.store, settings.base_uri)
    click.echo(f"restored {backup_folder} to {settings.store} ({len(store.sources())} sources, "
               f"{store.triple_count()} triples)")


@cli.command(epilog="\b\nExamples:\n  hubgraph serve\n  hubgraph serve --host 127.0.0.1 --port 8080\n"
             "  hubgraph serve --workers 4\n  hubgraph serve --get /api/stats")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
@click.option("--workers", type=click.IntRange(1), help="Server processes (overrides HUBGRAPH_WORKERS); with more "
              "than one, each opens the embedded store read-only and sees it as it was when it started.")
@click.option("--get", "path", help="Answer one GET request in-process, print it and exit (0 if it succeeded).")
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, workers: int | None, path: str | None) -> None:
    """Serve the graph: SPARQL endpoint, linked data, search and JSON API (uvicorn)."""
    import uvicorn

    from api.app import create_app

    settings: Settings = ctx.obj
    workers = workers or settings.workers
    if workers > 1 and path is None:
        _check_workers(settings, workers)
        lock = None if settings.store.startswith(REMOTE_SCHEMES) else _prepare_for_readers(ctx)
        os.environ.update(HUBGRAPH_STORE=settings.store, HUBGRAPH_WORKERS=str(workers))
        try:
            uvicorn.run("api.app:app_from_environment", factory=True, workers=workers, host=host, port=port,
                        log_config=_log_config())
        finally:
            if lock is not None:
                os.close(lock)
        return
    app = create_app(settings, _open_store(ctx))
    if path is not None:
        import warnings

        with warnings.catch_warnings():  # starlette suggests httpx2; httpx is what it supports today
            warnings.simplefilter("ignore")
            from fastapi.testclient import TestClient
        response = TestClient(app).get(path)
        click.echo(response.text)
        ctx.exit(0 if response.status_code < 400 else 1)
    uvicorn.run(app, host=host, port=port, log_config=_log_config())


def _check_workers(settings: Settings, workers: int) -> None:
    """Refuse a number of server processes the store cannot serve."""
    if settings.store.startswith(REMOTE_SCHEMES):
        return
    if settings.store == MEMORY:
        raise click.UsageError(f"--workers {workers} needs an on-disk or remote store: with ':memory:' each "
                               "worker process would serve its own empty store")
    if settings.update_token:
        raise click.UsageError(f"--workers {workers} opens the embedded store read-only, but HUBGRAPH_UPDATE_TOKEN "
                               "enables writes: serve writes with one worker or from a remote store (sparql+http://...)")


def _prepare_for_readers(ctx: click.Context) -> int:
    """Bring the stored summaries up to date (read-only workers cannot), then hold the embedded
    store's write lock (RocksDB's LOCK file) while they serve: pyoxigraph leaves reading a
    store another process writes undefined, so an ingest is refused until the server stops.
    Returns the lock's file descriptor."""
    from graph import summaries

    if not summaries.is_current(_open_store(ctx, read_only=True)):
        _refresh_summaries(_open_store(ctx))
    location = ctx.obj.store
    lock = os.open(Path(location) / "LOCK", os.O_RDWR)
    try:
        fcntl.lockf(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        os.close(lock)
        raise click.ClickException(f"the store at '{location}' is in use by another process (stop the "
                                   f"ingest or server that writes it first): {exc}") from exc
    return lock


def _log_config() -> dict[str, Any]:
    """uvicorn's logging, plus hubgraph's own messages (such as the warm-up's) at INFO."""
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config["loggers"]["hubgraph"] = {"handlers": ["default"], "level": "INFO", "propagate": False}
    return config


@cli.command("match", epilog="\b\nExamples:\n  hubgraph match --person 0000-0002-7729-1702 --k 10 --json\n"
             "  hubgraph match --need 'wearable ECG signal processing' --institution-kind university\n"
             "  hubgraph match --team 'wearable ECG; deep learning EEG; stroke imaging' --json\n"
             "  hubgraph match --person 0041172 --new-only --csv > suggestions.csv\n"
             "  hubgraph match --batch people.txt --k 5 > suggestions.jsonl")
@click.option("--person", help="A person: hubgraph IRI or slug, ORCID iD or local table id.")
@click.option("--need", help="A free-text need, such as 'wearable ECG signal processing'.")
@click.option("--team", help="Needs separated by ';': a small team that covers them together.")
@click.option("--batch", type=click.File("r"),
              help="A file with one person id or need per line: one JSON line out per line, in order.")
@click.option("--k", default=10, show_default=True, type=click.IntRange(1, 1000), help="Most suggestions.")
@click.option("--institution-kind", type=click.Choice(["hospital", "university"]), help="Only people at this kind.")
@click.option("--institution", help="Only people at this organisation (IRI, slug, ROR id or local id).")
@click.option("--department", help="Only people in this department (IRI, slug or local id).")
@click.option("--role", help="Only people with this role in an institutional table (clinician, researcher, ...).")
@click.option("--active-since", type=int, metavar="YEAR", help="Only people with a paper in or after YEAR.")
@click.option("--new-only", is_flag=True, help="Leave out existing co-authors (default: include them, flagged).")
@click.option("--as-of", type=int, metavar="YEAR", help="See the graph as it was at the end of YEAR.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV, one row per suggestion.")
@click.pass_context
def match(ctx: click.Context, person: str | None, need: str | None, team: str | None, batch: Any, k: int,
          institution_kind: str | None, institution: str | None, department: str | None, role: str | None,
          active_since: int | None, new_only: bool, as_of: int | None, as_json: bool, as_csv: bool) -> None:
    """Suggest collaborators for a person, people for a need, or a team for several needs.

    Each suggestion has a score, the score of each signal (topics, MeSH tree, text,
    co-authorship proximity, organisation, complementarity, activity), its reasons and
    every identifier of the person. See docs/matchmaking.md.
    """
    from graph.errors import UnknownEntity
    from graph.match import Filters, suggest
    from graph.match.table import write_csv

    if sum(x is not None for x in (person, need, team, batch)) != 1:
        raise click.UsageError("give exactly one of --person, --need, --team or --batch")
    store = _open_store(ctx, read_only=True)
    filters = Filters(institution_kind=institution_kind, institution=institution, department=department,
                      role=role, active_since=active_since, new_only=new_only)

    def run(**query: str | None) -> Any:
        try:
            return suggest(store, k=k, filters=filters, as_of=as_of, **query)
        except ValueError as exc:
            raise click.UsageError(str(exc)) from exc

    if batch is None:
        result = run(person=person, need=need, team=team)
        if as_json:
            click.echo(json.dumps(result.as_dict(), indent=2, ensure_ascii=False))
        elif as_csv:
            write_csv(sys.stdout, [("", result)])
        else:
            click.echo(_match_table(result))
        return
    lines = [line.strip() for line in batch if line.strip()]
    results = []
    for line in lines:
        try:
            result = run(person=line)
        except UnknownEntity:
            result = run(need=line)
        results.append((line, result))
        if not as_csv:
            click.echo(json.dumps({"input": line, **result.as_dict()}, ensure_ascii=False))
    if as_csv:
        write_csv(sys.stdout, results)


def _match_table(result: Any) -> str:
    lines = []
    for s in result.suggestions:
        ident = s.orcid or s.local_id or s.uri
        flag = "  (co-author)" if s.existing_collaborator else ""
        lines.append(f"{s.rank:>3}. {s.score:6.3f}  {s.name}  {ident}{flag}")
        topics = ", ".join(t["label"] or t["uri"] for t in s.reasons.get("shared_topics", [])[:3])
        if s.covers:
            lines.append(f"       covers: {'; '.join(s.covers)}")
        if topics:
            lines.append(f"       shared topics: {topics}")
        path = s.reasons.get("introduction_path")
        if path and len(path) > 2:
            lines.append(f"       introduction: {' -> '.join(p['name'] for p in path)}")
    return "\n".join(lines) if lines else "no suggestions"


@cli.command("map", epilog="\b\nExamples:\n  hubgraph map ego 0000-0002-7959-9401 -o hyman.html\n"
             "  hubgraph map ego 0000-0002-7959-9401 --depth 2 -o hyman2.html\n"
             "  hubgraph map org https://ror.org/002pd6e78 -o mgh.html\n"
             "  hubgraph map topic D000544 -o alzheimer.html\n"
             "  hubgraph map partnership -o partnership.html\n  hubgraph map pipeline NCT05269394 -o dian-tu.html")
@click.argument("kind", type=click.Choice(["ego", "org", "topic", "partnership", "pipeline"]))
@click.argument("ident", metavar="[ID]", required=False)
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), required=True,
              help="The HTML file to write (it opens from disk, offline).")
@click.option("--depth", type=click.IntRange(1, 2), default=1, show_default=True, help="Ego map: co-author steps.")
@click.option("--limit", type=click.IntRange(10, 5000), default=300, show_default=True,
              help="Most nodes drawn one by one; the rest are grouped into summary nodes.")
@click.pass_context
def map_cmd(ctx: click.Context, kind: str, ident: str | None, output: str, depth: int, limit: int) -> None:
    """Write a network map as a standalone HTML file (scripts inlined, no network needed).

    ego: a person (ID required); org: an organisation (ID required); topic: a MeSH topic
    (ID required); partnership: hospital and university units and the people who bridge
    them (ID optional: one organisation); pipeline: papers -> trials -> devices (ID
    optional: a person, paper, trial or device). ID is any identifier of the entity.
    """
    from api.routers.maps import ENTITY_KINDS, resolve_map_entity
    from viz.maps import build_map, describe
    from viz.render import render_file

    store = _open_store(ctx, read_only=True)
    if ident is None and kind in ("ego", "org", "topic"):
        raise click.UsageError(f"the {kind} map needs the ID of a {' or '.join(ENTITY_KINDS[kind])}")
    iri = resolve_map_entity(store, kind, ident) if ident else None
    network = build_map(store, kind, iri, depth=depth, limit=limit)
    Path(output).write_text(render_file(network, lambda i: i if i.startswith(("http://", "https://")) else None),
                            encoding="utf-8")
    figures = describe(network)
    click.echo(f"wrote {output}: {figures['nodes']} nodes, {figures['edges']} edges"
               + (f" ({figures['note']})" if figures["note"] else ""))

def main() -> None:
    """Entry point: run the CLI, turning hubgraph errors into clean messages."""
    try:
        code = cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted!", err=True)
        sys.exit(1)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except HubgraphError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(1)
    sys.exit(code if isinstance(code, int) else 0)
