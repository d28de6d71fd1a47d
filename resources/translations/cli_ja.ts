<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ja_JP">
<context>
    <name>Argparse</name>
    <message>
        <source>usage: </source>
        <translation>使い方: </translation>
    </message>
    <message>
        <source>positional arguments</source>
        <translation>位置引数</translation>
    </message>
    <message>
        <source>options</source>
        <translation>オプション</translation>
    </message>
    <message>
        <source>show this help message and exit</source>
        <translation>このヘルプを表示して終了する</translation>
    </message>
    <message>
        <source>show program&apos;s version number and exit</source>
        <translation>プログラムのバージョンを表示して終了する</translation>
    </message>
    <message>
        <source>%(prog)s: error: %(message)s
</source>
        <translation>%(prog)s: エラー: %(message)s
</translation>
    </message>
    <message>
        <source>argument %(argument_name)s: %(message)s</source>
        <translation>引数 %(argument_name)s: %(message)s</translation>
    </message>
    <message>
        <source>the following arguments are required: %s</source>
        <translation>次の引数が必要です: %s</translation>
    </message>
    <message>
        <source>invalid choice: %(value)r (choose from %(choices)s)</source>
        <translation>無効な選択です: %(value)r (%(choices)s から選んでください)</translation>
    </message>
    <message>
        <source>invalid %(type)s value: %(value)r</source>
        <translation>%(type)s として無効な値です: %(value)r</translation>
    </message>
    <message>
        <source>unrecognized arguments: %s</source>
        <translation>認識できない引数です: %s</translation>
    </message>
    <message>
        <source>expected one argument</source>
        <translation>引数が 1 つ必要です</translation>
    </message>
    <message>
        <source>expected at most one argument</source>
        <translation>引数は 1 つまでです</translation>
    </message>
    <message>
        <source>expected at least one argument</source>
        <translation>引数が 1 つ以上必要です</translation>
    </message>
    <message>
        <source>expected %s argument</source>
        <translation>引数が %s 個必要です</translation>
    </message>
    <message>
        <source>expected %s arguments</source>
        <translation>引数が %s 個必要です</translation>
    </message>
    <message>
        <source>not allowed with argument %s</source>
        <translation>引数 %s と同時には指定できません</translation>
    </message>
    <message>
        <source>one of the arguments %s is required</source>
        <translation>引数 %s のいずれかが必要です</translation>
    </message>
    <message>
        <source>ambiguous option: %(option)s could match %(matches)s</source>
        <translation>あいまいなオプションです: %(option)s は %(matches)s のどれにも当てはまります</translation>
    </message>
    <message>
        <source>ignored explicit argument %r</source>
        <translation>明示された引数 %r は無視されました</translation>
    </message>
    <message>
        <source>unexpected option string: %s</source>
        <translation>予期しないオプションです: %s</translation>
    </message>
    <message>
        <source>can&apos;t open &apos;%(filename)s&apos;: %(error)s</source>
        <translation>&apos;%(filename)s&apos; を開けません: %(error)s</translation>
    </message>
</context>
<context>
    <name>Cli</name>
    <message>
        <source>must be positive</source>
        <translation>正の数を指定してください</translation>
    </message>
    <message>
        <source>panel resolution: 1024x600 (default), 800x480 or 1280x800</source>
        <translation>パネルの解像度: 1024x600 (既定)、800x480 または 1280x800</translation>
    </message>
    <message>
        <source>run the device clock X times faster (demos)</source>
        <translation>デバイスの時計を X 倍速で進める (デモ用)</translation>
    </message>
    <message>
        <source>print speed, pages per minute</source>
        <translation>印刷速度 (ページ/分)</translation>
    </message>
    <message>
        <source>start with the QA simulator dock hidden (F12 shows it)</source>
        <translation>QA シミュレーターのドックを隠して起動する (F12 で表示)</translation>
    </message>
    <message>
        <source>must be a number from 1 to {n}</source>
        <translation>1 から {n} までの数を指定してください</translation>
    </message>
    <message>
        <source>Emulator of a multifunction printer&apos;s front panel and its cloud service.</source>
        <translation>複合機の操作パネルとそのクラウドサービスのエミュレーターです。</translation>
    </message>
    <message>
        <source>server + demo data + a panel, nothing to set up</source>
        <translation>サーバー + デモデータ + パネル、設定不要</translation>
    </message>
    <message>
        <source>server port (default: a free one)</source>
        <translation>サーバーのポート (既定: 空いているポート)</translation>
    </message>
    <message>
        <source>keep the demo&apos;s data directory</source>
        <translation>デモのデータディレクトリを残す</translation>
    </message>
    <message>
        <source>panels (devices) that find each other on the loopback LAN (default 1)</source>
        <translation>ループバック LAN 上で互いを見つけるパネル (デバイス) の数 (既定 1)</translation>
    </message>
    <message>
        <source>a panel for a device of a running server</source>
        <translation>起動中のサーバーのデバイス用パネル</translation>
    </message>
    <message>
        <source>server URL, e.g. http://127.0.0.1:8631</source>
        <translation>サーバーの URL (例: http://127.0.0.1:8631)</translation>
    </message>
    <message>
        <source>device name (one settings file per name)</source>
        <translation>デバイス名 (名前ごとに設定ファイルが 1 つ)</translation>
    </message>
    <message>
        <source>admin user ID for registering (PIN from MFP_ADMIN_PIN)</source>
        <translation>登録に使う管理者のユーザー ID (PIN は MFP_ADMIN_PIN から)</translation>
    </message>
    <message>
        <source>keep the device identity in memory only (no keyring needed)</source>
        <translation>デバイスの ID をメモリーにだけ保持する (キーリング不要)</translation>
    </message>
    <message>
        <source>the cloud service (headless)</source>
        <translation>クラウドサービス (ヘッドレス)</translation>
    </message>
    <message>
        <source>data directory</source>
        <translation>データディレクトリ</translation>
    </message>
    <message>
        <source>add the demo users and jobs</source>
        <translation>デモのユーザーとジョブを追加する</translation>
    </message>
    <message>
        <source>seconds an operator has to accept a maintenance call before the next is tried (default 20)</source>
        <translation>オペレーターがメンテナンス呼び出しを受けるまでの秒数。過ぎると次のオペレーターを呼ぶ (既定 20)</translation>
    </message>
    <message>
        <source>create a print job for a user</source>
        <translation>ユーザーの印刷ジョブを作成する</translation>
    </message>
    <message>
        <source>server URL (default: the one local server running)</source>
        <translation>サーバーの URL (既定: 起動中の唯一のローカルサーバー)</translation>
    </message>
    <message>
        <source>user ID the job is for</source>
        <translation>ジョブの宛先ユーザー ID</translation>
    </message>
    <message>
        <source>device ID (default: where the user is logged in, else held until they log in)</source>
        <translation>デバイス ID (既定: ユーザーがログイン中のデバイス。なければログインするまで保留)</translation>
    </message>
    <message>
        <source>admin user ID for a remote server (PIN from MFP_ADMIN_PIN)</source>
        <translation>リモートサーバー用の管理者ユーザー ID (PIN は MFP_ADMIN_PIN から)</translation>
    </message>
    <message>
        <source>create a user (PIN from MFP_PIN or a prompt)</source>
        <translation>ユーザーを作成する (PIN は MFP_PIN または入力で)</translation>
    </message>
    <message>
        <source>replace the user if the ID exists already</source>
        <translation>ID が既にあればそのユーザーを置き換える</translation>
    </message>
    <message>
        <source>the running local server whose data directory to write to (e.g. http://127.0.0.1:8631; default: the one local server running, if there is one)</source>
        <translation>データディレクトリに書き込む起動中のローカルサーバー (例: http://127.0.0.1:8631。既定: 起動中のローカルサーバーが 1 つあればそれ)</translation>
    </message>
    <message>
        <source>the server data directory to write to</source>
        <translation>書き込むサーバーのデータディレクトリ</translation>
    </message>
    <message>
        <source>register an external app (S8) by its URL (manifest at URL/manifest.json)</source>
        <translation>外部アプリ (S8) を URL で登録する (マニフェストは URL/manifest.json)</translation>
    </message>
    <message>
        <source>admin user ID for a remote server (MFP_ADMIN_PIN)</source>
        <translation>リモートサーバー用の管理者ユーザー ID (MFP_ADMIN_PIN)</translation>
    </message>
    <message>
        <source>comma-separated roles allowed to use the app (user,admin); default: the manifest&apos;s</source>
        <translation>アプリを使えるロールをカンマ区切りで (user,admin)。既定: マニフェストの指定</translation>
    </message>
    <message>
        <source>create a remote-maintenance operator (password from MFP_PASSWORD or a prompt)</source>
        <translation>リモートメンテナンスのオペレーターを作成する (パスワードは MFP_PASSWORD または入力で)</translation>
    </message>
    <message>
        <source>simulated networks (Toxiproxy&apos;s toxics) in front of a server; headless</source>
        <translation>サーバーの手前の模擬ネットワーク (Toxiproxy の toxic)。ヘッドレス</translation>
    </message>
    <message>
        <source>the server they lead to, e.g. 127.0.0.1:8631</source>
        <translation>接続先のサーバー (例: 127.0.0.1:8631)</translation>
    </message>
    <message>
        <source>HTTP control API on 127.0.0.1:N (default 8474, Toxiproxy&apos;s; 0: a free port)</source>
        <translation>127.0.0.1:N の HTTP 制御 API (既定 8474、Toxiproxy と同じ。0: 空いているポート)</translation>
    </message>
    <message>
        <source>a network on 127.0.0.1:PORT, repeatable (default: &apos;Wired LAN&apos; and &apos;LTE&apos;, free ports)</source>
        <translation>127.0.0.1:PORT のネットワーク、複数指定可 (既定: &apos;Wired LAN&apos; と &apos;LTE&apos;、空いているポート)</translation>
    </message>
    <message>
        <source>the phone simulator (S7): a gallery page that shows a QR code for a photo</source>
        <translation>スマートフォンシミュレーター (S7): 写真ごとに QR コードを表示するギャラリーページ</translation>
    </message>
    <message>
        <source>its photos (default: samples)</source>
        <translation>写真のフォルダー (既定: サンプル)</translation>
    </message>
    <message>
        <source>address to listen on and to put in its QR codes</source>
        <translation>待ち受けて QR コードに入れるアドレス</translation>
    </message>
    <message>
        <source>port (default 8640; 0: a free one)</source>
        <translation>ポート (既定 8640。0: 空いているポート)</translation>
    </message>
    <message>
        <source>N headless devices against a running server, for load tests; headless</source>
        <translation>起動中のサーバーに接続する N 台のヘッドレスデバイス (負荷試験用)。ヘッドレス</translation>
    </message>
    <message>
        <source>admin user ID, to submit jobs to a server with no local admin socket</source>
        <translation>管理者ユーザー ID (ローカルの管理ソケットがないサーバーにジョブを送るため)</translation>
    </message>
    <message>
        <source>worker processes (one a core)</source>
        <translation>ワーカープロセス数 (コアごとに 1 つ)</translation>
    </message>
    <message>
        <source>seconds of jobs (default 30)</source>
        <translation>ジョブを送る秒数 (既定 30)</translation>
    </message>
    <message>
        <source>jobs a second (default 20)</source>
        <translation>1 秒あたりのジョブ数 (既定 20)</translation>
    </message>
    <message>
        <source>the server&apos;s data directory (default: the local server&apos;s)</source>
        <translation>サーバーのデータディレクトリ (既定: ローカルサーバーのもの)</translation>
    </message>
    <message>
        <source>a bug-report zip (traces, versions, settings without secrets); headless</source>
        <translation>バグ報告用の zip (トレース、バージョン、秘密情報を除いた設定)。ヘッドレス</translation>
    </message>
    <message>
        <source>the zip (default: one here)</source>
        <translation>zip ファイル (既定: このフォルダーに作成)</translation>
    </message>
    <message>
        <source>a demo&apos;s or device&apos;s data directory (default: the program&apos;s data directory)</source>
        <translation>デモまたはデバイスのデータディレクトリ (既定: プログラムのデータディレクトリ)</translation>
    </message>
    <message>
        <source>scenario files: field issues replayed (issue 18)</source>
        <translation>シナリオファイル: 現場の不具合を再現する (issue 18)</translation>
    </message>
    <message>
        <source>run scenario files: headless on a virtual clock unless --panel or --speed</source>
        <translation>シナリオファイルを実行する: --panel か --speed がなければ仮想時計でヘッドレス</translation>
    </message>
    <message>
        <source>TOML files</source>
        <translation>TOML ファイル</translation>
    </message>
    <message>
        <source>show the panel and the QA dock, in real time</source>
        <translation>パネルと QA ドックを実時間で表示する</translation>
    </message>
    <message>
        <source>with the panel, on a real clock N times faster (the network keeps real time)</source>
        <translation>パネル付きで、実時計を N 倍速にする (ネットワークは実時間のまま)</translation>
    </message>
    <message>
        <source>write JUnit XML there</source>
        <translation>JUnit XML をそこに書き出す</translation>
    </message>
    <message>
        <source>keep each run&apos;s data under DIR</source>
        <translation>各実行のデータを DIR の下に残す</translation>
    </message>
    <message>
        <source>measure and print figures</source>
        <translation>計測して数値を表示する</translation>
    </message>
    <message>
        <source>process start -&gt; login screen painted</source>
        <translation>プロセス起動 -&gt; ログイン画面の描画</translation>
    </message>
    <message>
        <source>one JSON object of the figures</source>
        <translation>数値を 1 つの JSON オブジェクトで出力する</translation>
    </message>
    <message>
        <source>server job creation -&gt; job visible in the device</source>
        <translation>サーバーでのジョブ作成 -&gt; デバイスでジョブが見えるまで</translation>
    </message>
    <message>
        <source>through a simulated network with this latency toxic</source>
        <translation>この遅延 toxic を入れた模擬ネットワーク経由で</translation>
    </message>
    <message>
        <source>+/- on the latency</source>
        <translation>遅延のばらつき (+/-)</translation>
    </message>
    <message>
        <source>network 1 fails -&gt; a process gets through network 2; dead-link detection</source>
        <translation>ネットワーク 1 の障害 -&gt; 処理がネットワーク 2 で通るまで。切断の検出</translation>
    </message>
    <message>
        <source>enqueue, restore and drain of held jobs</source>
        <translation>保留ジョブのキュー投入、復元、送出</translation>
    </message>
    <message>
        <source>outages for the restore figure</source>
        <translation>復元の計測に使う障害の回数</translation>
    </message>
    <message>
        <source>job for a sleeping device -&gt; it confirmed awake through its proxy</source>
        <translation>スリープ中のデバイスへのジョブ -&gt; プロキシ経由で復帰を確認するまで</translation>
    </message>
    <message>
        <source>remote-maintenance live view: frames/s, tap -&gt; frame, at 256 kbit/s</source>
        <translation>リモートメンテナンスのライブ表示: フレーム/秒、タップ -&gt; フレーム、256 kbit/s で</translation>
    </message>
    <message>
        <source>measured per figure (1-600)</source>
        <translation>数値ごとの計測秒数 (1-600)</translation>
    </message>
    <message>
        <source>pages per minute against the configured rate; jam cleared -&gt; next page</source>
        <translation>設定速度に対するページ/分。紙詰まり解除 -&gt; 次のページ</translation>
    </message>
    <message>
        <source>pages a job (&gt;= 2)</source>
        <translation>1 ジョブのページ数 (2 以上)</translation>
    </message>
    <message>
        <source>simplex pages/min</source>
        <translation>片面のページ/分</translation>
    </message>
    <message>
        <source>duplex pages/min</source>
        <translation>両面のページ/分</translation>
    </message>
    <message>
        <source>jam-clear runs</source>
        <translation>紙詰まり解除の回数</translation>
    </message>
    <message>
        <source>a shared file relayed device -&gt; server -&gt; device: MB/s, first byte, RSS</source>
        <translation>デバイス -&gt; サーバー -&gt; デバイスで中継する共有ファイル: MB/s、最初のバイト、RSS</translation>
    </message>
    <message>
        <source>the file&apos;s size (MB)</source>
        <translation>ファイルのサイズ (MB)</translation>
    </message>
    <message>
        <source>QR connection: decode time, degraded frames decoded, QR shown -&gt; projected</source>
        <translation>QR 接続: 読み取り時間、劣化したフレームの読み取り、QR 表示 -&gt; 投影</translation>
    </message>
    <message>
        <source>5 MB transfers measured</source>
        <translation>計測する 5 MB 転送の回数</translation>
    </message>
    <message>
        <source>server apps: Apps tile tapped -&gt; first screen painted, action -&gt; next</source>
        <translation>サーバーのアプリ: アプリのタイルをタップ -&gt; 最初の画面の描画、操作 -&gt; 次の画面</translation>
    </message>
    <message>
        <source>app launches measured</source>
        <translation>計測するアプリ起動の回数</translation>
    </message>
    <message>
        <source>language key tapped -&gt; every visible screen redrawn in the other</source>
        <translation>言語キーのタップ -&gt; 表示中のすべての画面がもう一方の言語で再描画されるまで</translation>
    </message>
    <message>
        <source>each way (2-200)</source>
        <translation>各方向の回数 (2-200)</translation>
    </message>
    <message>
        <source>one JSON object</source>
        <translation>1 つの JSON オブジェクトで出力する</translation>
    </message>
    <message>
        <source>one server holding N devices: push latency, burst, a 5 s stall, memory</source>
        <translation>N 台のデバイスを抱える 1 台のサーバー: プッシュの遅延、バースト、5 秒の停止、メモリー</translation>
    </message>
    <message>
        <source>fleet worker processes (default: one a core)</source>
        <translation>フリートのワーカープロセス数 (既定: コアごとに 1 つ)</translation>
    </message>
    <message>
        <source>scenarios headless on the virtual clock: timeline vs wall time</source>
        <translation>仮想時計でヘッドレスに実行するシナリオ: タイムラインと実時間の比較</translation>
    </message>
    <message>
        <source>default: the examples in scenarios/</source>
        <translation>既定: scenarios/ にある例</translation>
    </message>
    <message>
        <source>one JSON object of figures</source>
        <translation>数値を 1 つの JSON オブジェクトで出力する</translation>
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
        <source>network control API: {url}   (Toxiproxy&apos;s: /proxies, /reset)</source>
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
        <source>the fleet&apos;s users are written into the server&apos;s data directory, and no server at {url} runs on this machine: run the fleet on the server&apos;s machine, or pass --data DIR</source>
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
