"""The one landing-delivery flow of the file sources (personnel reports, curated figures):

    candidates -> read -> validate -> archive -> accept or quarantine -> ledger

The flow owns the order of these steps and every file move: a landing file is archived (rejected
ones with ok=false), then recorded by the source, then moved to ``processed/``, or moved to
``quarantine/`` beside its error report. A source (``FileSource``) supplies only its parser and
what accepting or rejecting means for its own ledger. No Dagster imports.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from pipelines.archive import RawArchive
from pipelines.sources.files.landing import LandingFile, LandingFolder, archive_delivery
from pipelines.sources.files.problems import DeliveryRejected, ErrorReport, Issue


@dataclass
class Candidate:
    """A delivery to consider: from a (replay or runtime) archive or the landing folder."""

    origin: str  # replay | archive | landing
    file_name: str
    sha256: str
    received_at: str  # ISO time, UTC
    synthetic: bool
    read: Callable[[], bytes]
    landing_file: LandingFile | None = None


@dataclass
class FlowOutcome:
    accepted: list[str] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    reports: list[str] = field(default_factory=list)
    waiting: list[str] = field(default_factory=list)  # still being written: left for a later run
    problems: dict[str, str] = field(default_factory=dict)  # rejected landing file -> its problems, per rule
    landing_accepted: list[str] = field(default_factory=list)  # of accepted/unchanged: the landing folder's
    landing_again: list[str] = field(default_factory=list)


class FileSource(Protocol):
    """What a file source adds to the flow."""

    archive_source: str  # raw-archive source name (manifest/<name>.jsonl)

    def already_loaded(self, cand: Candidate) -> bool:
        """Same bytes loaded before: skip (and tidy the landing copy)."""

    def loaded_before(self, cand: Candidate) -> str:
        """When and as what the same bytes were loaded, for the note beside a re-delivery."""

    def parse(self, data: bytes, file_name: str) -> Any:
        """The validated delivery, or ``DeliveryRejected`` listing every problem."""

    def archive_meta(self, cand: Candidate, delivery: Any) -> tuple[bool, dict[str, Any]]:
        """(synthetic, manifest meta) for an accepted landing file."""

    def accept(self, cand: Candidate, delivery: Any, position: int) -> None:
        """Record an accepted delivery; ``position`` is the candidate's place in the batch."""

    def reject(self, cand: Candidate, report: ErrorReport, report_path: str | None) -> None:
        """Record a rejected delivery in the source's ledger."""

    def archived_report_path(self, cand: Candidate, report: ErrorReport) -> str | None:
        """Where the report of a rejected file from a read-only archive goes (or raise)."""


def run_flow(source: FileSource, candidates: Iterable[Candidate], *, runtime: RawArchive,
             landing: LandingFolder, names: Iterable[str] | None = None, log=None) -> FlowOutcome:
    """Take every candidate through the flow; one bad file never stops the others. Landing entries
    that must not be read (links, non-regular files, oversized files) never become candidates
    (``LandingFolder.scan`` leaves them out): they are refused here, with a report."""
    out = FlowOutcome()
    for refusal in landing.untrusted(names):
        report = ErrorReport(source=source.archive_source, file_name=refusal.name,
                             issues=[Issue(file=refusal.name, reason=f"refused: {refusal.reason}")])
        target = landing.refuse(refusal, report)
        out.rejected.append(refusal.name)
        out.problems[refusal.name] = f"refused unread: {refusal.reason}"
        out.reports.append(str(target.with_name(target.name + ".errors.txt")))
        if log:
            log.warning(f"{source.archive_source} landing entry {refusal.name} refused unread: {refusal.reason}")
    out.waiting = landing.incomplete(names)
    if out.waiting and log:
        log.info(f"{source.archive_source} landing files still being written, left for a later run: {out.waiting}")
    for position, cand in enumerate(candidates):
        if source.already_loaded(cand):
            if cand.origin != "archive":  # the runtime archive's own deliveries are not news
                out.unchanged.append(cand.file_name)
            if cand.landing_file:
                landing.accept_again(cand.landing_file, source.loaded_before(cand))
                out.landing_again.append(cand.file_name)
            continue
        data = cand.read()
        try:
            delivery = source.parse(data, cand.file_name)
        except DeliveryRejected as exc:
            report_path = _quarantine(source, cand, data, exc.report, runtime, landing)
            source.reject(cand, exc.report, report_path)
            out.rejected.append(cand.file_name)
            if cand.landing_file:  # the sample archive's own test cases are not a sender's problem
                out.problems[cand.file_name] = exc.report.grouped_summary()
            if report_path:
                out.reports.append(report_path)
            if log:
                log.warning(f"{source.archive_source} delivery {cand.file_name} rejected: {exc.report.summary()}")
            continue
        if cand.landing_file:
            synthetic, meta = source.archive_meta(cand, delivery)
            archive_delivery(runtime, data, source=source.archive_source, file_name=cand.file_name, accepted=True,
                             synthetic=synthetic, meta=meta, received_at=cand.received_at)
        source.accept(cand, delivery, position)
        if cand.landing_file:
            landing.accept(cand.landing_file)
            out.landing_accepted.append(cand.file_name)
        out.accepted.append(cand.file_name)
    return out


def _quarantine(source: FileSource, cand: Candidate, data: bytes, report: ErrorReport, runtime: RawArchive,
                landing: LandingFolder) -> str | None:
    report.received_at = cand.received_at
    if not cand.landing_file:
        return source.archived_report_path(cand, report)
    archive_delivery(runtime, data, source=source.archive_source, file_name=cand.file_name, accepted=False,
                     error=report.summary()[:2000], received_at=cand.received_at)
    target = landing.quarantine(cand.landing_file, report)
    return str(target.with_name(target.name + ".errors.txt"))
