<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="ja_JP">
<context>
    <name>Cli</name>
    <message>
        <source>must be positive</source>
        <translation>正の数を指定してください</translation>
    </message>
    <message>
        <source>must be a number from 1 to {n}</source>
        <translation>1 から {n} までの数を指定してください</translation>
    </message>
    <message>
        <source>phone simulator (QR connection): {url}/  (open it in a browser)</source>
        <translation>スマートフォンシミュレーター（QR 接続）: {url}/  （ブラウザーで開いてください）</translation>
    </message>
    <message>
        <source>demo data kept in {root}</source>
        <translation>デモのデータを {root} に残しました</translation>
    </message>
    <message>
        <source>written in the QA dock: {path}</source>
        <translation>QA ドックで書き出したファイル: {path}</translation>
    </message>
    <message>
        <source>server:   {url}   (API: {url}/api/openapi.json)</source>
        <translation>サーバー:   {url}   （API: {url}/api/openapi.json）</translation>
    </message>
    <message>
        <source>data:     {root}  (deleted on exit unless --keep, or the dock wrote a report)</source>
        <translation>データ:     {root}  （終了時に削除。--keep 指定時や、ドックがレポートを書き出したときは残ります）</translation>
    </message>
    <message>
        <source>trace:    {trace}</source>
        <translation>トレース:   {trace}</translation>
    </message>
    <message>
        <source>Log in on the panel; held jobs for that user print at once.</source>
        <translation>パネルでログインしてください。その利用者の保留ジョブがすぐに印刷されます。</translation>
    </message>
    <message>
        <source>Send a print job from another terminal:</source>
        <translation>別の端末から印刷ジョブを送信するには:</translation>
    </message>
    <message>
        <source>no server known for this device; pass --server URL</source>
        <translation>このデバイスのサーバーが分かりません。--server URL を指定してください</translation>
    </message>
    <message>
        <source>no display (DISPLAY and WAYLAND_DISPLAY are unset). Run the panel under Xvfb (scripts/demo does: xvfb-run -a mfp-panel ...), or set QT_QPA_PLATFORM=offscreen for a panel nobody sees.</source>
        <translation>ディスプレイがありません（DISPLAY と WAYLAND_DISPLAY が未設定です）。パネルは Xvfb の下で実行するか（scripts/demo は xvfb-run -a mfp-panel ... で実行します）、画面に表示しない場合は QT_QPA_PLATFORM=offscreen を設定してください。</translation>
    </message>
    <message>
        <source>in a browser:     {url}/</source>
        <translation>ブラウザー:       {url}/</translation>
    </message>
    <message>
        <source>OpenAPI document: {url}/api/openapi.json</source>
        <translation>OpenAPI 文書:     {url}/api/openapi.json</translation>
    </message>
    <message>
        <source>submit a job:     {command} server submit --server {url} --user ID FILE</source>
        <translation>ジョブの送信:     {command} server submit --server {url} --user ID FILE</translation>
    </message>
    <message>
        <source>device {device}</source>
        <translation>デバイス {device}</translation>
    </message>
    <message>
        <source>held until the user logs in at a device</source>
        <translation>利用者がデバイスにログインするまで保留</translation>
    </message>
    <message>
        <source>{job}: {title} for {user}, {pages} page(s) x {copies} -&gt; {where}</source>
        <translation>{job}: {title}（{user} 宛て）、{pages} ページ × {copies} 部 -&gt; {where}</translation>
    </message>
    <message>
        <source>user {user} exists already ({name}, {role}) in {data}; pass --replace to replace them</source>
        <translation>利用者 {user} は {data} にすでに存在します（{name}、{role}）。置き換えるには --replace を指定してください</translation>
    </message>
    <message>
        <source>PIN for {user}: </source>
        <translation>{user} の PIN: </translation>
    </message>
    <message>
        <source>a PIN is 4 to 12 digits</source>
        <translation>PIN は 4 桁から 12 桁の数字です</translation>
    </message>
    <message>
        <source>user {user} ({name}, {role}) replaced in {path}</source>
        <translation>利用者 {user}（{name}、{role}）を {path} で置き換えました</translation>
    </message>
    <message>
        <source>user {user} ({name}, {role}) saved in {path}</source>
        <translation>利用者 {user}（{name}、{role}）を {path} に保存しました</translation>
    </message>
    <message>
        <source>Password for {operator}: </source>
        <translation>{operator} のパスワード: </translation>
    </message>
    <message>
        <source>operator {operator} ({name}) saved; they log in at /operator</source>
        <translation>オペレーター {operator}（{name}）を保存しました。/operator からログインします</translation>
    </message>
</context>
</TS>