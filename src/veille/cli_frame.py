"""The command-line framework's own words (panel titles, "[default: ...]", "Missing
command."...) said from Veille's catalogs.

Typer passes these English messages through gettext for the application to translate, but
binds `gettext` as `_` in its modules when they are imported, reads the default domain's
compiled files, and computes its panel titles once at import. Veille's catalogs are compiled
in memory, so `speak` rebinds those names to the catalog of the instance's language and
recomputes the titles. Typer's vendored Click writes a few words without gettext ("Usage:",
"Show this message and exit.", "Missing argument"): those stay in English.
"""

from __future__ import annotations

import importlib

from veille.translations import N_, Language, translator

# Typer's translatable messages; the msgids are Typer's, character for character
# (tests/test_cli_language.py checks the installed Typer still says each of them).
FRAMEWORK_WORDS = (
    N_("Arguments"),
    N_("Options"),
    N_("Commands"),
    N_("Error"),
    N_("Aborted."),
    N_("Aborted!"),
    N_("(deprecated) "),
    N_("(dynamic)"),
    N_("[default: {}]"),
    N_("[env var: {}]"),
    N_("[required]"),
    N_("default: {default}"),
    N_("env var: {var}"),
    N_("required"),
    N_("Missing command."),
    N_("No such command {name!r}."),
    N_("Try [blue]'{command_path} {help_option}'[/] for help."),
)
_MODULES = ("typer.core", "typer.rich_utils")
# Typer's panel titles and marks, translated once when typer.rich_utils is imported.
_TYPER_TITLES = {
    "ARGUMENTS_PANEL_TITLE": "Arguments",
    "OPTIONS_PANEL_TITLE": "Options",
    "COMMANDS_PANEL_TITLE": "Commands",
    "ERRORS_PANEL_TITLE": "Error",
    "ABORTED_TEXT": "Aborted.",
    "RICH_HELP": "Try [blue]'{command_path} {help_option}'[/] for help.",
    "DEPRECATED_STRING": "(deprecated) ",
    "DEFAULT_STRING": "[default: {}]",
    "ENVVAR_STRING": "[env var: {}]",
    "REQUIRED_LONG_STRING": "[required]",
}


def speak(lang: Language) -> None:
    """Make Typer say its words in ``lang``."""
    words = translator(lang)
    for name in _MODULES:
        module = importlib.import_module(name)
        if hasattr(module, "_"):
            module._ = words.gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = words.ngettext  # type: ignore[attr-defined]
    rich_utils = importlib.import_module("typer.rich_utils")
    for constant, msgid in _TYPER_TITLES.items():
        setattr(rich_utils, constant, words.gettext(msgid))
