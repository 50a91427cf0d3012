"""The README documents what the tool offers: every setting, every command, every option."""

from __future__ import annotations

import click

from kg.cli import main
from tests.conftest import ROOT
from web.settings import SETTINGS

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_documented() -> None:
    assert [s.name for s in SETTINGS if f"KG_{s.name}" not in README] == []


def test_every_command_and_option_is_documented() -> None:
    ctx = click.Context(main)
    missing = []
    for name in main.list_commands(ctx):
        command = main.get_command(ctx, name)
        assert command is not None
        if f"kg {name}" not in README:
            missing.append(f"kg {name}")
        for param in command.params:
            for opt in getattr(param, "opts", []):
                if opt.startswith("--") and opt not in ("--help",) and opt not in README:
                    missing.append(f"kg {name} {opt}")
    assert missing == []
