# ruff: noqa: RUF001  (full-width brackets and parentheses are Japanese punctuation, not typos)
"""The built-in apps' words in the panel's languages (S8, issue 19).

An app answers in the language the panel sends with each call (`language` in the body, as
`Accept-Language` for an external app); the server has no Qt, so the built-in apps keep their
own small catalogue here: English is the source, a dict per other language. The apps' data
values (actions, option values, document names, what is printed) are never translated.
"""

from __future__ import annotations

from typing import Any

from panel.protocol.apps import DEFAULT_LANGUAGE

JA: dict[str, str] = {
    # Scan to cloud folder
    "Scan to cloud folder": "クラウドフォルダーへスキャン",
    "Scan a document, name it, keep it in your cloud folder": (
        "原稿をスキャンして名前を付け、クラウドフォルダーに保存します"
    ),
    "Scanning “{name}”…": "「{name}」をスキャンしています…",
    "Scanning": "スキャン中",
    "The scan did not arrive: nothing was stored.": (
        "スキャンデータが届きませんでした。何も保存されていません。"
    ),
    "Stored “{name}” in your cloud folder.": "「{name}」をクラウドフォルダーに保存しました。",
    "Cloud folder": "クラウドフォルダー",
    "Name the document, put it on the glass, tap Scan.": (
        "文書名を入力し、原稿を原稿台に置いて［スキャン］を押してください。"
    ),
    "Document name": "文書名",
    "Pages": "ページ数",
    "Scan": "スキャン",
    "Close": "閉じる",
    "Your cloud folder is empty.": "クラウドフォルダーは空です。",
    "1 document in your cloud folder:": "クラウドフォルダーの文書: 1 件",
    "{n} documents in your cloud folder:": "クラウドフォルダーの文書: {n} 件",
    # Print from cloud
    "Print from cloud": "クラウドから印刷",
    "Browse your cloud folder and print a document from it": (
        "クラウドフォルダーの文書を選んで印刷します"
    ),
    "Choose a document first.": "先に文書を選択してください。",
    "Printing “{name}”…": "「{name}」を印刷しています…",
    "Sending to the printer": "プリンターへ送信中",
    "Sent to the printer: see Jobs.": "プリンターへ送信しました。ジョブ一覧で確認できます。",
    "The device did not print it.": "この機器では印刷できませんでした。",
    "Scan to cloud folder keeps scans here.": (
        "「クラウドフォルダーへスキャン」で読み取った文書がここに保存されます。"
    ),
    "Choose a document to print.": "印刷する文書を選択してください。",
    "Copies": "部数",
    "Print": "印刷",
    # Visitor badge
    "Visitor badge": "来客用バッジ",
    "Fill in a visitor's details and print a badge": "来客の情報を入力してバッジを印刷します",
    "Reception": "受付",
    "IT desk": "IT デスク",
    "Finance": "経理部",
    "HR": "人事部",
    "Enter the visitor's name.": "来客の氏名を入力してください。",
    "Print a badge for {visitor}, visiting {host}?": (
        "{visitor} 様（訪問先: {host}）のバッジを印刷しますか?"
    ),
    "Print a badge for {visitor}, visiting {host} (escort required)?": (
        "{visitor} 様（訪問先: {host}、付き添い必要）のバッジを印刷しますか?"
    ),
    "Print badge": "バッジを印刷",
    "Edit": "修正",
    "Printing the badge for {name}…": "{name} 様のバッジを印刷しています…",
    "Printing": "印刷中",
    "Badge for {name} printed. Welcome!": "{name} 様のバッジを印刷しました。ようこそ!",
    "Done": "完了",
    "Next visitor": "次の来客",
    "Who is visiting today?": "本日のご来客はどなたですか?",
    "Name": "氏名",
    "Company": "会社名",
    "Visiting": "訪問先",
    "Escort required": "付き添いが必要",
    "Continue": "次へ",
}

CATALOGUES: dict[str, dict[str, str]] = {"ja": JA}


def say(language: str, source: str, **values: Any) -> str:
    """`source` (English) in `language` when the catalogue has it, its values filled in."""
    words = CATALOGUES.get(language, {}).get(source, source)
    return words.format(**values) if values else words


def usable(language: str) -> str:
    """A language the built-in apps speak (`ja`, or the first tag of an Accept-Language header
    such as `ja-JP,ja;q=0.9`), English for any other (or none)."""
    first = language.split(",", 1)[0].split(";", 1)[0].split("-", 1)[0].strip().lower()
    return first if first in CATALOGUES else DEFAULT_LANGUAGE
