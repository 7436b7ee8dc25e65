"""docs/recommendations.md lists every column of the import and export, and the command."""

from pathlib import Path

from kuzot.recommendations.schema import ROW_FIELDS

DOCS = Path(__file__).parents[2] / "docs" / "recommendations.md"


def test_every_column_is_documented():
    text = DOCS.read_text()
    assert [f.column for f in ROW_FIELDS if f"| `{f.column}` |" not in text] == []
    assert "kuzot import_recommendations" in text
