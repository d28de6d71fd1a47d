<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="ja_JP">
<context>
    <name>QaRecorder</name>
    <message>
        <source>Record</source>
        <translation>記録</translation>
    </message>
    <message>
        <source>Record what you do on the panel and in the dock as a scenario</source>
        <translation>パネルとドックでの操作をシナリオとして記録します</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Stop recording and write the scenario file</source>
        <translation>記録を停止してシナリオファイルを保存します</translation>
    </message>
    <message>
        <source>Report…</source>
        <translation>レポート…</translation>
    </message>
    <message>
        <source>Write a bug report: traces, a screenshot, versions, settings without secrets and the recorded scenario, in one zip</source>
        <translation>不具合レポートを作成します: トレース、画面キャプチャ、バージョン、機密情報を除いた設定、記録したシナリオを1つのZIPにまとめます</translation>
    </message>
    <message>
        <source>Not recording</source>
        <translation>記録していません</translation>
    </message>
    <message>
        <source>Recording started</source>
        <translation>記録を開始しました</translation>
    </message>
    <message>
        <source>Could not write the scenario: {error}</source>
        <translation>シナリオを保存できませんでした: {error}</translation>
    </message>
    <message>
        <source>Scenario saved: {path}</source>
        <translation>シナリオを保存しました: {path}</translation>
    </message>
    <message>
        <source>Writing the bug report…</source>
        <translation>不具合レポートを作成中…</translation>
    </message>
    <message>
        <source>Bug report saved: {path}</source>
        <translation>不具合レポートを保存しました: {path}</translation>
    </message>
    <message>
        <source>Recording: {steps} steps, {seconds} s</source>
        <translation>記録中: {steps} ステップ、{seconds} 秒</translation>
    </message>
</context>
</TS>