from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kuzot.audit import checkpoints
from kuzot.audit.log import Action, record, verify


class Command(BaseCommand):
    help = "Check the audit log's hash chains, and write signed checkpoints of it."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        check = sub.add_parser(
            "verify", help="walk the chains and report tampering (exit 1 if any)"
        )
        check.add_argument(
            "--checkpoint",
            type=Path,
            action="append",
            default=[],
            metavar="FILE",
            help="also prove the log still holds every event this checkpoint counted "
            "(may be repeated)",
        )
        write = sub.add_parser(
            "checkpoint", help="write a signed checkpoint of the log, to keep off the server"
        )
        write.add_argument("--out", type=Path, help="write it to this file (default: stdout)")

    def handle(self, *args, verb: str, **options):
        if verb == "checkpoint":
            self._checkpoint(options["out"])
        else:
            self._verify(options["checkpoint"])

    def _checkpoint(self, out: Path | None) -> None:
        record(None, Action.EXPORT, detail={"what": "audit checkpoint"})
        try:
            data = checkpoints.make()
        except checkpoints.CheckpointError as error:
            raise CommandError(str(error)) from error
        if out is None:
            self.stdout.write(data.decode(), ending="")
            return
        try:
            out.write_bytes(data)
        except OSError as error:
            raise CommandError(f"{out}: {error.strerror}") from error
        self.stderr.write(f"Checkpoint written to {out}. Keep it off this server.")

    def _verify(self, files: list[Path]) -> None:
        marks = []
        for path in files:
            try:
                marks += checkpoints.load(path.read_bytes(), name=str(path)).marks
            except OSError as error:
                raise CommandError(f"{path}: {error.strerror}") from error
            except checkpoints.CheckpointError as error:
                raise CommandError(str(error), returncode=1) from error
        checked, problems = verify(marks)
        for problem in problems:
            where = f"event {problem.event_id}" if problem.event_id else "log"
            self.stderr.write(f"{problem.chain} {where}: {problem.message}")
        if problems:
            raise CommandError(
                f"The audit log was tampered with ({len(problems)} problems).", returncode=1
            )
        against = f", against {len(files)} checkpoint(s)" if files else ""
        self.stdout.write(f"The audit log is intact: {checked} events checked{against}.")
