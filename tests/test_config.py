"""Settings: precedence, unknown keys with the closest known key, environment overrides."""

from __future__ import annotations

from pathlib import Path

import pytest

from syncguard.config import load_settings
from syncguard.errors import ConfigError

ROOT = Path(__file__).resolve().parent.parent


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_without_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    settings = load_settings(environ={})
    assert settings.registry.database_url == "sqlite:///syncguard.db"
    assert settings.registry.practice == "default"
    assert settings.check.fail_on == "error"
    assert settings.config_path is None


def test_example_config_is_valid() -> None:
    settings = load_settings(ROOT / "config.example.toml", environ={})
    assert settings.ids.sequence_width == 8


def test_precedence_file_then_environment_then_command_line(tmp_path: Path) -> None:
    config = write(
        tmp_path / "audit.toml",
        '[registry]\npractice = "from-file"\n[check]\nfail_on = "warning"\nname_threshold = 70\n',
    )
    environ = {"SYNCGUARD_PRACTICE": "from-env", "SYNCGUARD_CHECK__NAME_THRESHOLD": "75"}
    settings = load_settings(config, environ=environ)
    assert settings.registry.practice == "from-env"
    assert settings.check.fail_on == "warning"
    assert settings.check.name_threshold == 75
    settings = load_settings(
        config, overrides={"registry": {"practice": "from-cli"}}, environ=environ
    )
    assert settings.registry.practice == "from-cli"


def test_none_on_the_command_line_means_not_given(tmp_path: Path) -> None:
    config = write(tmp_path / "a.toml", '[registry]\npractice = "north"\n')
    settings = load_settings(config, overrides={"registry": {"practice": None}}, environ={})
    assert settings.registry.practice == "north"


def test_config_found_through_environment_and_working_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "syncguard.toml", '[registry]\npractice = "cwd"\n')
    other = write(tmp_path / "other.toml", '[registry]\npractice = "env"\n')
    assert load_settings(environ={}).registry.practice == "cwd"
    assert load_settings(environ={"SYNCGUARD_CONFIG": str(other)}).registry.practice == "env"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[registry]\ndatabse_url = 'x'\n", "did you mean 'database_url'?"),
        ("[chek]\nfail_on = 'error'\n", "did you mean 'check'?"),
        ("[check]\nfail_onn = 'error'\n", "did you mean 'fail_on'?"),
    ],
)
def test_unknown_key_names_the_closest(tmp_path: Path, text: str, expected: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings(write(tmp_path / "c.toml", text), environ={})
    assert expected in caught.value.one_line()
    assert "c.toml" in caught.value.one_line()


def test_unknown_environment_key_is_an_error_naming_the_variable(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings(environ={"SYNCGUARD_CHECK__FAILON": "error"})
    assert caught.value.one_line() == (
        "SYNCGUARD_CHECK__FAILON: no such setting ('check.failon') "
        "(did you mean SYNCGUARD_CHECK__FAIL_ON?)"
    )


def test_a_bad_environment_value_names_the_variable_unless_an_option_overrides_it(
    tmp_path: Path,
) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings(environ={"SYNCGUARD_CHECK__FAIL_ON": "loud"})
    assert caught.value.one_line() == (
        "SYNCGUARD_CHECK__FAIL_ON: 'loud' is not valid (use 'info', 'warning' or 'error')"
    )
    with pytest.raises(ConfigError, match="SYNCGUARD_IDS__SEQUENCE_WIDTH: 'x'"):
        load_settings(environ={"SYNCGUARD_IDS__SEQUENCE_WIDTH": "x"})
    settings = load_settings(
        overrides={"check": {"fail_on": "warning"}},
        environ={"SYNCGUARD_CHECK__FAIL_ON": "loud"},
        options={"check.fail_on": "--fail-on"},
    )
    assert settings.check.fail_on == "warning"


def test_bad_value_and_bad_toml(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="fail_on"):
        load_settings(write(tmp_path / "v.toml", "[check]\nfail_on = 'loud'\n"), environ={})
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_settings(write(tmp_path / "t.toml", "[check\n"), environ={})


def test_missing_config_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_settings(tmp_path / "absent.toml", environ={})


def test_severity_override_codes_are_upper_cased(tmp_path: Path) -> None:
    config = write(tmp_path / "s.toml", "[check.severity]\npay301 = 'warning'\n")
    assert load_settings(config, environ={}).check.severity == {"PAY301": "warning"}


def test_severity_names_in_any_case(tmp_path: Path) -> None:
    path = write(
        tmp_path / "c.toml", "[check]\nfail_on = 'Warning'\n[check.severity]\nref201 = 'INFO'\n"
    )
    settings = load_settings(path, {"check": {"fail_on": None}}, environ={})
    assert settings.check.fail_on == "warning" and settings.check.severity == {"REF201": "info"}
    assert load_settings(path, {"check": {"fail_on": "ERROR"}}, environ={}).check.fail_on == "error"
