"""Meta-tests: every adapter has fixtures, every CLI command is documented."""

from __future__ import annotations

from etl import cli, sources
from tests.conftest import FIXTURES, ROOT


def test_every_adapter_has_a_fixture_folder():
    for module in sources.adapters():
        folder = FIXTURES / module.NAME
        assert folder.is_dir() and any(folder.glob("*.*")), f"no fixtures for {module.NAME}"


def test_every_cli_command_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    parser = cli.build_parser()
    commands = parser._subparsers._group_actions[0].choices  # argparse keeps them here
    for name in commands:
        assert f"python -m etl {name}" in readme, name
    assert "python -m analysis export" in readme


def test_readme_shows_the_two_commands_and_ci_runs_them():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make run" in readme and "make test" in readme
    assert "make test" in (ROOT / ".ci/run").read_text()


def test_readme_formats_table_lists_the_variants():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = " ".join(readme[readme.index("## Accepted file formats"):readme.index("## Layout")].split())
    for variant in ("every region of the FCS list", "`EXP`/`IMP`", "`EK`/`EX`/`IM`", "`AB`, `OS`, `EU`, `YY`",
                    "`saderat`/`varedat`", "title row or file name", "UTF-16", "KOI8-R", "ISO-8859-6",
                    "decimal mark", "a warning"):
        assert variant in table, variant
    formats = (ROOT / "docs/formats.md").read_text(encoding="utf-8")
    assert "## Rejected rows and warnings" in formats and "## Duplicates and conflicts" in formats
    assert "Why an unknown partner" in formats
