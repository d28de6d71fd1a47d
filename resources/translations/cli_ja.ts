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
        <source>(preferred)</source>
        <translation>（優先）</translation>
    </message>
    <message>
        <source>networks (simulated, between the devices and the server):</source>
        <translation>ネットワーク（シミュレーション、デバイスとサーバーの間）:</translation>
    </message>
    <message>
        <source>network control API: {url}   (Toxiproxy's: /proxies, /reset)</source>
        <translation>ネットワーク制御 API: {url}   （Toxiproxy 互換: /proxies, /reset）</translation>
    </message>
    <message>
        <source>take Wired LAN down:</source>
        <translation>有線 LAN を切断:</translation>
    </message>
    <message>
        <source>blackhole it:</source>
        <translation>応答なしにする:</translation>
    </message>
    <message>
        <source>restore everything:</source>
        <translation>すべて元に戻す:</translation>
    </message>
    <message>
        <source>devices: {devices}  (they find each other by DNS-SD on loopback)</source>
        <translation>デバイス: {devices}  （ループバック上の DNS-SD で互いを見つけます）</translation>
    </message>
    <message>
        <source>QA dock: F12 shows or hides it; F8 / Shift+F8: a person approaches / leaves</source>
        <translation>QA ドック: F12 で表示／非表示、F8 / Shift+F8 で人が近づく／離れる</translation>
    </message>
    <message>
        <source>engine control API ({device}): {url}/engine</source>
        <translation>エンジン制御 API（{device}）: {url}/engine</translation>
    </message>
    <message>
        <source>jam at tray 1:</source>
        <translation>トレイ 1 で紙詰まり:</translation>
    </message>
    <message>
        <source>clear it:</source>
        <translation>解除:</translation>
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
    <message>
        <source>(admin)</source>
        <translation>（管理者）</translation>
    </message>
    <message>
        <source>password</source>
        <translation>パスワード</translation>
    </message>
    <message>
        <source>operator console: {url}/operator</source>
        <translation>オペレーターコンソール: {url}/operator</translation>
    </message>
    <message>
        <source>users (log in on the panel):</source>
        <translation>利用者（パネルでログイン）:</translation>
    </message>
    <message>
        <source>operators:</source>
        <translation>オペレーター:</translation>
    </message>
    <message>
        <source>the fleet's users are written into the server's data directory, and no server at {url} runs on this machine: run the fleet on the server's machine, or pass --data DIR</source>
        <translation>フリートのユーザーはサーバーのデータディレクトリに書き込まれますが、このマシンでは {url} のサーバーが動作していません。サーバーのマシンでフリートを実行するか、--data DIR を指定してください</translation>
    </message>
    <message>
        <source>--devices is at least 1</source>
        <translation>--devices は 1 以上で指定してください</translation>
    </message>
    <message>
        <source>stopped by {signal}; its devices stopped</source>
        <translation>{signal} で停止しました。デバイスも停止しました</translation>
    </message>
    <message>
        <source>scenario run --panel/--speed shows the panel</source>
        <translation>scenario run --panel/--speed はパネルを表示するため、ディスプレイが必要です</translation>
    </message>
</context>
</TS>