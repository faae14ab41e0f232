"""`veille classify [FILE]`: understand texts from a file or stdin, one JSON line each."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, TextIO

import typer

from veille.business import BusinessProfile

BATCH = 256


class InputError(ValueError):
    """A line of input that is neither plain text nor a JSON object with a "text" string."""


def parse_line(line: str, where: str) -> str:
    stripped = line.strip()
    if not stripped.startswith("{"):
        return line.rstrip("\r\n")
    try:
        record = json.loads(stripped)
    except json.JSONDecodeError as exc:
        raise InputError(f"{where}: invalid JSON ({exc.msg} at column {exc.colno})") from exc
    if not isinstance(record, dict) or not isinstance(record.get("text"), str):
        raise InputError(f'{where}: a JSON line needs a "text" string field')
    return str(record["text"])


def read_texts(stream: TextIO, name: str) -> Iterator[list[str]]:
    """Batches of texts, in input order."""
    batch: list[str] = []
    for number, line in enumerate(stream, start=1):
        batch.append(parse_line(line, f"{name}, line {number}"))
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def register(app: typer.Typer) -> None:
    @app.command()
    def classify(
        file: Annotated[
            Path | None,
            typer.Argument(
                help="Texts, one per line or JSON lines with a 'text' field; stdin if omitted."
            ),
        ] = None,
        tier: Annotated[str, typer.Option(help="fast or accurate")] = "accurate",
        profile: Annotated[
            Path | None,
            typer.Option(help="JSON file of the business profile, for leads and competitors."),
        ] = None,
    ) -> None:
        """Language, sentiment, intents and entities for each text, one JSON line per input."""
        from veille.understand.analyzer import Analyzer

        if tier not in ("fast", "accurate"):
            raise typer.BadParameter(f"must be fast or accurate, not {tier!r}", param_hint="--tier")
        business = None
        if profile is not None:
            try:
                business = BusinessProfile.model_validate_json(profile.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise typer.BadParameter(f"{profile}: {exc}", param_hint="--profile") from exc
        analyzer = Analyzer(business)
        try:
            stream = sys.stdin if file is None else file.open(encoding="utf-8")
        except OSError as exc:
            raise typer.BadParameter(f"{file}: {exc.strerror}", param_hint="FILE") from exc
        name = "stdin" if file is None else str(file)
        try:
            for texts in read_texts(stream, name):
                for result in analyzer.analyze(
                    texts, tier="fast" if tier == "fast" else "accurate"
                ):
                    sys.stdout.write(json.dumps(result.to_json(), ensure_ascii=False) + "\n")
                sys.stdout.flush()
        except InputError as exc:
            typer.echo(f"Error: {exc}", err=True)
            raise typer.Exit(2) from exc
        except UnicodeDecodeError as exc:
            typer.echo(f"Error: {name} is not UTF-8 text (byte {exc.start} of a line)", err=True)
            raise typer.Exit(2) from exc
        finally:
            if file is not None:
                stream.close()
