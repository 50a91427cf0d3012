"""House rules that keep the layers apart."""

from __future__ import annotations

import subprocess
import sys


def test_kg_never_imports_flask() -> None:
    code = "import sys, kg, kg.cli, kg.load, kg.extract, kg.gazetteer, kg.issues, kg.dates; print('flask' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_version_lives_in_one_place() -> None:
    from importlib.metadata import version

    import kg

    assert version("kg") == kg.__version__
