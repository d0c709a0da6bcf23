from __future__ import annotations

from pathlib import Path

import pytest

from opp_docs.config import Config
from opp_docs.errors import ConfigError
from opp_docs.intake.fields import FIELDS, header_key
from tests.intake_helpers import (
    read,
    registration,
    write_xlsx,
)


def test_field_headers_and_synonyms_do_not_collide() -> None:
    seen: dict[str, str] = {}
    for f in FIELDS:
        for name in (f.header, *f.synonyms):
            key = header_key(name)
            assert seen.setdefault(key, f.key) == f.key, name


def test_unknown_synonym_key_is_a_config_error(tmp_path: Path) -> None:
    write_xlsx(tmp_path / "a.xlsx", [registration()])
    with pytest.raises(ConfigError) as info:
        read(tmp_path, Config(synoniemen={"leerlingnumer": ("Lln",)}))
    assert "leerlingnumer" in str(info.value)
    assert "leerlingnummer" in str(info.value)
