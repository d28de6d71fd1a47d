<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="ja_JP">
<context>
    <name>TraceView</name>
    <message>
        <source>All concerns</source>
        <translation>すべての分類</translation>
    </message>
    <message>
        <source>All devices</source>
        <translation>すべてのデバイス</translation>
    </message>
    <message>
        <source>Live</source>
        <translation>ライブ</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>一時停止</translation>
    </message>
    <message>
        <source>Paused · {count} new</source>
        <translation>一時停止 · 新着 {count}</translation>
    </message>
    <message>
        <source>Copy line</source>
        <translation>行をコピー</translation>
    </message>
    <message>
        <source>Copy the entry's JSON line</source>
        <translation>この項目のJSON行をコピー</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>項目</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>値</translation>
    </message>
    <message>
        <source>No entry selected</source>
        <translation>項目が選ばれていません</translation>
    </message>
    <message>
        <source>Click an entry in the list or a tick on a lane</source>
        <translation>一覧の行かレーンの目盛りをクリックしてください</translation>
    </message>
    <message>
        <source>Follow the newest lines, or hold the view still</source>
        <translation>最新の行を追う、または表示を止める</translation>
    </message>
    <message>
        <source>Only this concern</source>
        <translation>この分類だけ</translation>
    </message>
    <message>
        <source>Only this device's lines</source>
        <translation>このデバイスの行だけ</translation>
    </message>
    <message>
        <source>Filter text…</source>
        <translation>テキストで絞り込み…</translation>
    </message>
    <message>
        <source>Lines containing this text, any case</source>
        <translation>この文字列を含む行（大文字小文字を区別しない）</translation>
    </message>
    <message>
        <source>One lane per concern; faults in red, warnings in amber.
Click a tick for its fields, a name for that concern alone.
Wheel: zoom · drag: scroll back · double-click: back to live</source>
        <translation>分類ごとに1レーン。障害は赤、警告は黄色。
目盛りをクリックで詳細、名前をクリックでその分類だけを表示。
ホイール: 拡大縮小 · ドラッグ: 過去へ移動 · ダブルクリック: ライブに戻る</translation>
    </message>
    <message>
        <source>{shown} of {kept} lines</source>
        <translation>{kept} 行中 {shown} 行</translation>
    </message>
    <message>
        <source>{kept} lines</source>
        <translation>{kept} 行</translation>
    </message>
    <message>
        <source>faults: {count}</source>
        <translation>障害: {count}</translation>
    </message>
    <message>
        <source>{dropped} older lines dropped (the newest {limit} are kept)</source>
        <translation>古い {dropped} 行を破棄（最新の {limit} 行を保持）</translation>
    </message>
    <message>
        <source>unreadable lines: {count}</source>
        <translation>読めない行: {count}</translation>
    </message>
    <message>
        <source>files truncated or replaced: {count}</source>
        <translation>切り詰め・置き換えられたファイル: {count}</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>時刻</translation>
    </message>
    <message>
        <source>From</source>
        <translation>送信元</translation>
    </message>
    <message>
        <source>Concern</source>
        <translation>分類</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>イベント</translation>
    </message>
    <message>
        <source>Fields</source>
        <translation>内容</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>サーバー</translation>
    </message>
</context>
</TS>