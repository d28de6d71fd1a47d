"""The command line's messages (issue 19): Japanese when the user's locale is Japanese, English
otherwise, and the headless modes still never import Qt to word them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from panel import cli_text
from panel.relaunch import program_argv

LOCALE_VARIABLES = ("MFP_LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


@pytest.fixture
def clean_locale(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in LOCALE_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


@pytest.mark.parametrize(
    ("variables", "expected"),
    [
        ({}, "en"),
        ({"LANG": "ja_JP.UTF-8"}, "ja"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({"LC_MESSAGES": "ja_JP.UTF-8", "LANG": "en_GB.UTF-8"}, "ja"),
        ({"LC_ALL": "en_US.UTF-8", "LC_MESSAGES": "ja_JP.UTF-8"}, "en"),  # LC_ALL first
        ({"MFP_LANGUAGE": "ja", "LC_ALL": "C"}, "ja"),
        ({"MFP_LANGUAGE": "en", "LANG": "ja_JP.UTF-8"}, "en"),
    ],
)
def test_the_language_follows_the_locale_posix_order(
    clean_locale: pytest.MonkeyPatch, variables: dict[str, str], expected: str
) -> None:
    for name, value in variables.items():
        clean_locale.setenv(name, value)
    assert cli_text.cli_language() == expected


def test_messages_are_japanese_in_a_japanese_locale_and_english_otherwise(
    clean_locale: pytest.MonkeyPatch,
) -> None:
    message = cli_text.translate("Cli", "a PIN is 4 to 12 digits")
    assert message == "a PIN is 4 to 12 digits"
    clean_locale.setenv("LANG", "ja_JP.UTF-8")
    assert cli_text.translate("Cli", "a PIN is 4 to 12 digits") == "PIN は 4 桁から 12 桁の数字です"
    assert cli_text.translate("Cli", "not in the catalogue") == "not in the catalogue"


def test_every_cli_message_keeps_its_placeholders_in_japanese() -> None:
    import re

    placeholder = re.compile(r"\{(\w+)\}")
    catalogue = cli_text._catalogue()
    assert catalogue, "resources/translations/cli_ja.ts has no finished translation"
    for (_, source), japanese in catalogue.items():
        assert set(placeholder.findall(source)) == set(placeholder.findall(japanese)), source


def test_a_server_command_answers_in_japanese_without_importing_qt(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in LOCALE_VARIABLES}
    result = subprocess.run(
        program_argv("server", "add-user", "7001", "Zoe", "--data", str(tmp_path)),
        env={**env, "LANG": "ja_JP.UTF-8", "MFP_PIN": "12"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "PIN は 4 桁から 12 桁の数字です" in result.stderr
    code = (
        "import sys, panel.cli, panel.modes.server_mode, panel.cli_text;"
        "panel.cli_text.translate('Cli', 'x');"
        "print(any(m.startswith('PySide6') for m in sys.modules))"
    )
    imported = subprocess.run(
        [sys.executable, "-c", code],
        env={**env, "LANG": "ja_JP.UTF-8"},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert imported.stdout.strip() == "False"


def test_fleet_and_scenario_errors_are_japanese_in_a_japanese_locale(
    clean_locale: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from panel.modes import fleet_mode, gui_mode, scenario_mode

    clean_locale.setenv("LANG", "ja_JP.UTF-8")
    assert fleet_mode.fleet("http://127.0.0.1:8631", 0, None, None, 0.0, 0.0, None) == 2
    assert capsys.readouterr().err == "mfp-panel: --devices は 1 以上で指定してください\n"
    clean_locale.setattr(gui_mode, "_display_available", lambda: False)
    assert not scenario_mode._display_ok()
    assert "ディスプレイが必要です" in capsys.readouterr().err


def _cli(*args: str, language: str | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in LOCALE_VARIABLES}
    if language is not None:
        env["MFP_LANGUAGE"] = language
    return subprocess.run(
        program_argv(*args), env=env, capture_output=True, text=True, timeout=60, check=False
    )


def _japanese(text: str) -> bool:
    return any("\u3040" <= c <= "\u30ff" or "\u4e00" <= c <= "\u9fff" for c in text)


ARGPARSE_ENGLISH = ("usage:", "positional arguments", "options:", "show this help message")


@pytest.mark.parametrize("command", [(), ("server",)], ids=["mfp-panel", "server"])
def test_help_is_japanese_in_japanese_and_argparse_words_too(command: tuple[str, ...]) -> None:
    result = _cli(*command, "--help", language="ja")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("使い方: mfp-panel")
    for english in ARGPARSE_ENGLISH:
        assert english not in result.stdout
    assert "位置引数:" in result.stdout
    assert "オプション:" in result.stdout
    assert "このヘルプを表示して終了する" in result.stdout
    if command:
        assert "デモのユーザーとジョブを追加する" in result.stdout  # --seed-demo
        assert "add the demo users and jobs" not in result.stdout
    else:
        assert "複合機の操作パネルとそのクラウドサービスのエミュレーターです。" in result.stdout
        assert "クラウドサービス (ヘッドレス)" in result.stdout  # the server subcommand
        assert "プログラムのバージョンを表示して終了する" in result.stdout


def test_every_help_and_description_of_every_parser_is_japanese(
    clean_locale: pytest.MonkeyPatch,
) -> None:
    """All parsers, not only the two above: a help= left unwrapped (or untranslated) shows."""
    import argparse

    from panel import cli

    clean_locale.setattr(argparse, "_", argparse._)  # type: ignore[attr-defined]
    clean_locale.setattr(argparse, "ngettext", argparse.ngettext)  # type: ignore[attr-defined]
    clean_locale.setenv("MFP_LANGUAGE", "ja")
    parsers = [("mfp-panel", cli.build_parser())]
    seen = 0
    while parsers:
        path, parser = parsers.pop()
        if parser.description:
            assert _japanese(parser.description), path
        text = parser.format_help()  # a stray "%" in a translation would raise here
        assert text.startswith("使い方: "), path
        for action in parser._actions:
            if action.help and action.help != argparse.SUPPRESS:
                assert _japanese(action.help), f"{path}: {action.help}"
                seen += 1
            if isinstance(action, argparse._SubParsersAction):
                for name, child in action.choices.items():
                    parsers.append((f"{path} {name}", child))
                for choice in action._choices_actions:
                    assert choice.help, f"{path}: {choice.dest}"
                    assert _japanese(choice.help), f"{path}: {choice.dest}"
    assert seen > 80


def test_a_missing_argument_is_a_japanese_error_and_english_is_argparse_s_own() -> None:
    japanese = _cli("server", "submit", language="ja")
    assert japanese.returncode == 2
    assert japanese.stdout == ""
    assert japanese.stderr.startswith("使い方: mfp-panel server submit")
    assert japanese.stderr.endswith(
        "mfp-panel server submit: エラー: 次の引数が必要です: --user, file\n"
    )
    english = _cli("server", "submit", language=None)
    assert english.returncode == 2
    assert english.stderr.startswith("usage: mfp-panel server submit [-h]")
    assert english.stderr.endswith(
        "mfp-panel server submit: error: the following arguments are required: --user, file\n"
    )
    choice = _cli("bogus", language="ja")
    assert "エラー: 引数 command: 無効な選択です: 'bogus'" in choice.stderr


def test_english_help_is_argparse_s_own() -> None:
    result = _cli("--help", language="en")
    assert result.returncode == 0
    assert result.stdout.startswith("usage: mfp-panel [-h] [--version]")
    assert "\npositional arguments:\n" in result.stdout
    assert "\noptions:\n" in result.stdout
    assert "  -h, --help            show this help message and exit\n" in result.stdout
    assert "    server              the cloud service (headless)\n" in result.stdout
    assert not _japanese(result.stdout)
