<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="ja_JP">
<context>
    <name>Dock</name>
    <message>
        <source>{ms} ms</source>
        <translation>{ms} ms</translation>
    </message>
    <message>
        <source>QA simulator</source>
        <translation>QAシミュレーター</translation>
    </message>
    <message>
        <source>Hide</source>
        <translation>隠す</translation>
    </message>
    <message>
        <source>Hide the QA simulator ({key} shows it again)</source>
        <translation>QAシミュレーターを隠す（{key} で再表示）</translation>
    </message>
    <message>
        <source>QA SIMULATOR</source>
        <translation>QAシミュレーター</translation>
    </message>
    <message>
        <source>TRACE</source>
        <translation>トレース</translation>
    </message>
    <message>
        <source>Faults, sensors and the connection log</source>
        <translation>障害・センサー・接続ログ</translation>
    </message>
    <message>
        <source>The device's and the server's trace</source>
        <translation>デバイスとサーバーのトレース</translation>
    </message>
    <message>
        <source>Person approaches</source>
        <translation>人が近づく</translation>
    </message>
    <message>
        <source>Person leaves</source>
        <translation>人が離れる</translation>
    </message>
    <message>
        <source>Show or hide the QA simulator</source>
        <translation>QAシミュレーターの表示／非表示</translation>
    </message>
    <message>
        <source>Could not do {what}: {error}</source>
        <translation>{what}を実行できませんでした: {error}</translation>
    </message>
</context>
<context>
    <name>DockCamera</name>
    <message>
        <source>Rotate</source>
        <translation>回転</translation>
    </message>
    <message>
        <source>Tilt</source>
        <translation>傾き</translation>
    </message>
    <message>
        <source>Blur</source>
        <translation>ぼかし</translation>
    </message>
    <message>
        <source>Noise</source>
        <translation>ノイズ</translation>
    </message>
    <message>
        <source>Glare</source>
        <translation>反射</translation>
    </message>
    <message>
        <source>Small</source>
        <translation>小さく</translation>
    </message>
    <message>
        <source>Camera (phone QR)</source>
        <translation>カメラ（スマートフォンQR）</translation>
    </message>
    <message>
        <source>Hold phone to camera</source>
        <translation>スマホをカメラにかざす</translation>
    </message>
    <message>
        <source>The camera sees the phone simulator's screen now</source>
        <translation>カメラがスマートフォンシミュレーターの画面を読み取ります</translation>
    </message>
    <message>
        <source>File…</source>
        <translation>ファイル…</translation>
    </message>
    <message>
        <source>Hold any image file to the camera</source>
        <translation>画像ファイルをカメラにかざす</translation>
    </message>
    <message>
        <source>Away</source>
        <translation>外す</translation>
    </message>
    <message>
        <source>Take the phone off the document stand</source>
        <translation>スマートフォンを原稿台から外す</translation>
    </message>
    <message>
        <source>Degrade the camera's view: {kind}</source>
        <translation>カメラの映りを悪くする: {kind}</translation>
    </message>
    <message>
        <source>How badly the phone is held (0: perfectly)</source>
        <translation>スマートフォンのかざし方の悪さ（0: 完璧）</translation>
    </message>
    <message>
        <source>Phone: {url}</source>
        <translation>スマートフォン: {url}</translation>
    </message>
    <message>
        <source>held well</source>
        <translation>正しくかざしている</translation>
    </message>
    <message>
        <source>Camera: phone held to the camera ({how})</source>
        <translation>カメラ: スマートフォンをかざしました（{how}）</translation>
    </message>
    <message>
        <source>Hold an image to the camera</source>
        <translation>画像をカメラにかざす</translation>
    </message>
    <message>
        <source>Images</source>
        <translation>画像</translation>
    </message>
    <message>
        <source>All files</source>
        <translation>すべてのファイル</translation>
    </message>
    <message>
        <source>Camera: {file} held to the camera</source>
        <translation>カメラ: {file} をかざしました</translation>
    </message>
    <message>
        <source>Camera: the stand is empty</source>
        <translation>カメラ: 原稿台は空です</translation>
    </message>
    <message>
        <source>Camera: {result}</source>
        <translation>カメラ: {result}</translation>
    </message>
    <message>
        <source>Nothing on the stand</source>
        <translation>原稿台に何もありません</translation>
    </message>
    <message>
        <source>Projected: {pages}</source>
        <translation>表示中: {pages}</translation>
    </message>
    <message>
        <source>Refused: {reason}</source>
        <translation>拒否: {reason}</translation>
    </message>
</context>
<context>
    <name>DockEngine</name>
    <message>
        <source>Tray 1 feed</source>
        <translation>トレイ1 給紙部</translation>
    </message>
    <message>
        <source>Tray 2 feed</source>
        <translation>トレイ2 給紙部</translation>
    </message>
    <message>
        <source>Bypass tray</source>
        <translation>手差しトレイ</translation>
    </message>
    <message>
        <source>Fuser</source>
        <translation>定着部</translation>
    </message>
    <message>
        <source>Duplex unit</source>
        <translation>両面ユニット</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>排紙部</translation>
    </message>
    <message>
        <source>Front cover</source>
        <translation>前カバー</translation>
    </message>
    <message>
        <source>Side door</source>
        <translation>側面ドア</translation>
    </message>
    <message>
        <source>Top cover</source>
        <translation>上カバー</translation>
    </message>
    <message>
        <source>Tray 1</source>
        <translation>トレイ1</translation>
    </message>
    <message>
        <source>Tray 2</source>
        <translation>トレイ2</translation>
    </message>
    <message>
        <source>Bypass</source>
        <translation>手差し</translation>
    </message>
    <message>
        <source>Idle</source>
        <translation>待機中</translation>
    </message>
    <message>
        <source>Processing</source>
        <translation>処理中</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>停止中</translation>
    </message>
    <message>
        <source>Warming up</source>
        <translation>ウォームアップ中</translation>
    </message>
    <message>
        <source>Black</source>
        <translation>ブラック</translation>
    </message>
    <message>
        <source>Cyan</source>
        <translation>シアン</translation>
    </message>
    <message>
        <source>Magenta</source>
        <translation>マゼンタ</translation>
    </message>
    <message>
        <source>Yellow</source>
        <translation>イエロー</translation>
    </message>
    <message>
        <source>Print engine</source>
        <translation>プリントエンジン</translation>
    </message>
    <message>
        <source>Where the sheet jams</source>
        <translation>用紙が詰まる場所</translation>
    </message>
    <message>
        <source>Jam</source>
        <translation>紙詰まり</translation>
    </message>
    <message>
        <source>Jam a sheet there (at the next page while printing)</source>
        <translation>ここで用紙を詰まらせる（印刷中は次のページで）</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>解除</translation>
    </message>
    <message>
        <source>Clear the jam, as Done on the panel does</source>
        <translation>紙詰まりを解除する（パネルの完了と同じ）</translation>
    </message>
    <message>
        <source>Which cover or door</source>
        <translation>カバーまたはドア</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>開く</translation>
    </message>
    <message>
        <source>Open or close it</source>
        <translation>開く／閉じる</translation>
    </message>
    <message>
        <source>Which toner cartridge</source>
        <translation>トナーカートリッジ</translation>
    </message>
    <message>
        <source>The cartridge's level: 0 empties it, 100 is a new one</source>
        <translation>カートリッジの残量: 0で空、100で新品</translation>
    </message>
    <message>
        <source>Set</source>
        <translation>設定</translation>
    </message>
    <message>
        <source>Set this cartridge's level</source>
        <translation>このカートリッジの残量を設定</translation>
    </message>
    <message>
        <source>Which paper tray (its media and sheets left)</source>
        <translation>給紙トレイ（用紙と残り枚数）</translation>
    </message>
    <message>
        <source>Empty</source>
        <translation>空にする</translation>
    </message>
    <message>
        <source>Take every sheet out of this tray</source>
        <translation>このトレイの用紙をすべて取り出す</translation>
    </message>
    <message>
        <source>Fill</source>
        <translation>補給</translation>
    </message>
    <message>
        <source>Fill this tray to its capacity</source>
        <translation>このトレイを満杯まで補給する</translation>
    </message>
    <message>
        <source>Pages a minute, one-sided</source>
        <translation>毎分ページ数（片面）</translation>
    </message>
    <message>
        <source>Pages a minute, two-sided</source>
        <translation>毎分ページ数（両面）</translation>
    </message>
    <message>
        <source>Set the pages per minute (one-, two-sided)</source>
        <translation>毎分ページ数を設定（片面・両面）</translation>
    </message>
    <message>
        <source>ppm</source>
        <translation>ppm</translation>
    </message>
    <message>
        <source>Pages a minute: one-sided, two-sided</source>
        <translation>毎分ページ数: 片面、両面</translation>
    </message>
    <message>
        <source>Engine: no print engine to {what}</source>
        <translation>エンジン: {what}を行うプリントエンジンがありません</translation>
    </message>
    <message>
        <source>Engine: could not {what}: {error}</source>
        <translation>エンジン: {what}できませんでした: {error}</translation>
    </message>
    <message>
        <source>jam</source>
        <translation>紙詰まり</translation>
    </message>
    <message>
        <source>Engine: nothing to clear</source>
        <translation>エンジン: 解除するものはありません</translation>
    </message>
    <message>
        <source>clear</source>
        <translation>解除</translation>
    </message>
    <message>
        <source>open the cover</source>
        <translation>カバーを開く</translation>
    </message>
    <message>
        <source>close the cover</source>
        <translation>カバーを閉じる</translation>
    </message>
    <message>
        <source>set the toner</source>
        <translation>トナーの設定</translation>
    </message>
    <message>
        <source>set the tray</source>
        <translation>トレイの設定</translation>
    </message>
    <message>
        <source>set the speed</source>
        <translation>速度の設定</translation>
    </message>
    <message>
        <source>Engine: {reason} {code} ({place})</source>
        <translation>エンジン: {reason} {code}（{place}）</translation>
    </message>
    <message>
        <source>Engine: {code} cleared</source>
        <translation>エンジン: {code} 解除</translation>
    </message>
    <message>
        <source>Engine asks: {question}</source>
        <translation>エンジンからの確認: {question}</translation>
    </message>
    <message>
        <source>no faults</source>
        <translation>障害なし</translation>
    </message>
    <message>
        <source>Toner {levels}</source>
        <translation>トナー {levels}</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>閉じる</translation>
    </message>
</context>
<context>
    <name>DockLog</name>
    <message>
        <source>Connection log</source>
        <translation>接続ログ</translation>
    </message>
    <message>
        <source>Connection log · device time {scale}</source>
        <translation>接続ログ · デバイス時刻 {scale}</translation>
    </message>
</context>
<context>
    <name>DockNetworks</name>
    <message>
        <source>unknown</source>
        <translation>不明</translation>
    </message>
    <message>
        <source>reachable</source>
        <translation>接続可</translation>
    </message>
    <message>
        <source>unreachable</source>
        <translation>接続不可</translation>
    </message>
    <message>
        <source>recovering</source>
        <translation>回復中</translation>
    </message>
    <message>
        <source>online</source>
        <translation>オンライン</translation>
    </message>
    <message>
        <source>offline</source>
        <translation>オフライン</translation>
    </message>
    <message>
        <source>connecting</source>
        <translation>接続中</translation>
    </message>
    <message>
        <source>Take the network down: connections refused, open ones cut</source>
        <translation>ネットワークを停止: 接続を拒否し、開いている接続を切断</translation>
    </message>
    <message>
        <source>Nothing gets through either way and nothing is refused (timeout toxic)</source>
        <translation>双方向とも何も届かず、拒否もされない（timeout toxic）</translation>
    </message>
    <message>
        <source>Connections are reset as soon as the device sends (reset_peer)</source>
        <translation>デバイスが送信するとすぐに接続がリセットされる（reset_peer）</translation>
    </message>
    <message>
        <source>Delay added to every reply from the server (latency toxic, ±10 % jitter)</source>
        <translation>サーバーからの応答すべてに遅延を追加（latency toxic、±10 % の揺らぎ）</translation>
    </message>
    <message>
        <source>Replies from the server limited to this rate (bandwidth toxic)</source>
        <translation>サーバーからの応答をこの速度に制限（bandwidth toxic）</translation>
    </message>
    <message>
        <source>No delay</source>
        <translation>遅延なし</translation>
    </message>
    <message>
        <source>+{ms} ms delay</source>
        <translation>+{ms} ms 遅延</translation>
    </message>
    <message>
        <source>+{s} s delay</source>
        <translation>+{s} 秒 遅延</translation>
    </message>
    <message>
        <source>Full speed</source>
        <translation>制限なし</translation>
    </message>
    <message>
        <source>{kbps} KB/s max</source>
        <translation>最大 {kbps} KB/s</translation>
    </message>
    <message>
        <source>{mbps} MB/s max</source>
        <translation>最大 {mbps} MB/s</translation>
    </message>
    <message>
        <source>IN USE</source>
        <translation>使用中</translation>
    </message>
    <message>
        <source>Down</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Blackhole</source>
        <translation>無応答</translation>
    </message>
    <message>
        <source>Reset</source>
        <translation>リセット</translation>
    </message>
    <message>
        <source>{network} down</source>
        <translation>{network} 停止</translation>
    </message>
    <message>
        <source>{network} up</source>
        <translation>{network} 再開</translation>
    </message>
    <message>
        <source>Networks</source>
        <translation>ネットワーク</translation>
    </message>
    <message>
        <source>Restore all networks</source>
        <translation>すべてのネットワークを復旧</translation>
    </message>
    <message>
        <source>Every network up, every fault removed</source>
        <translation>すべてのネットワークを再開し、障害をすべて解除</translation>
    </message>
    <message>
        <source>restoring the networks</source>
        <translation>ネットワークの復旧</translation>
    </message>
    <message>
        <source>No network reaches the server</source>
        <translation>サーバーに届くネットワークがありません</translation>
    </message>
    <message>
        <source>Failover: now on {network}</source>
        <translation>フェイルオーバー: {network} に切替</translation>
    </message>
    <message>
        <source>Back on {network} (recovered)</source>
        <translation>{network} に復帰（回復）</translation>
    </message>
    <message>
        <source>Connected over {network}</source>
        <translation>{network} で接続</translation>
    </message>
    <message>
        <source>{network} reachable {latency}</source>
        <translation>{network} 接続可 {latency}</translation>
    </message>
    <message>
        <source>{network} unreachable: {error}</source>
        <translation>{network} 接続不可: {error}</translation>
    </message>
    <message>
        <source>{network} {state}</source>
        <translation>{network} {state}</translation>
    </message>
    <message>
        <source>via {network}</source>
        <translation>{network} 経由</translation>
    </message>
    <message>
        <source>FAILED</source>
        <translation>失敗</translation>
    </message>
    <message>
        <source>Check {process}{token}: {tries} → {result}</source>
        <translation>確認 {process}{token}: {tries} → {result}</translation>
    </message>
    <message>
        <source>Server link {state}</source>
        <translation>サーバー接続 {state}</translation>
    </message>
    <message>
        <source>up</source>
        <translation>再開</translation>
    </message>
    <message>
        <source>down</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>restored</source>
        <translation>復旧</translation>
    </message>
</context>
<context>
    <name>DockOriginals</name>
    <message>
        <source>No originals placed</source>
        <translation>原稿はセットされていません</translation>
    </message>
    <message>
        <source>Letter, 3 pages</source>
        <translation>レター、3ページ</translation>
    </message>
    <message>
        <source>Report, 5 pages</source>
        <translation>報告書、5ページ</translation>
    </message>
    <message>
        <source>Photo, 1 page</source>
        <translation>写真、1ページ</translation>
    </message>
    <message>
        <source>Feeder</source>
        <translation>原稿送り装置</translation>
    </message>
    <message>
        <source>Glass</source>
        <translation>原稿ガラス</translation>
    </message>
    <message>
        <source>1 page on the glass</source>
        <translation>原稿ガラスに1ページ</translation>
    </message>
    <message>
        <source>{pages} pages on the glass</source>
        <translation>原稿ガラスに{pages}ページ</translation>
    </message>
    <message>
        <source>1 page in the feeder</source>
        <translation>原稿送り装置に1ページ</translation>
    </message>
    <message>
        <source>{pages} pages in the feeder</source>
        <translation>原稿送り装置に{pages}ページ</translation>
    </message>
    <message>
        <source>Originals (copy)</source>
        <translation>原稿（コピー）</translation>
    </message>
    <message>
        <source>A sample original set shipped with the simulator</source>
        <translation>シミュレーター付属のサンプル原稿</translation>
    </message>
    <message>
        <source>The document feeder takes many pages, the glass one</source>
        <translation>原稿送り装置は複数ページ、原稿ガラスは1ページ</translation>
    </message>
    <message>
        <source>Place</source>
        <translation>セット</translation>
    </message>
    <message>
        <source>Place the sample set on the feeder or glass</source>
        <translation>サンプル原稿を原稿送り装置または原稿ガラスにセット</translation>
    </message>
    <message>
        <source>File…</source>
        <translation>ファイル…</translation>
    </message>
    <message>
        <source>Place a PDF or image file's pages</source>
        <translation>PDFまたは画像ファイルのページをセット</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>取り除く</translation>
    </message>
    <message>
        <source>Take the originals away</source>
        <translation>原稿を取り除く</translation>
    </message>
    <message>
        <source>placing originals</source>
        <translation>原稿のセット</translation>
    </message>
    <message>
        <source>Place a file on the copier</source>
        <translation>ファイルをコピー機にセット</translation>
    </message>
    <message>
        <source>PDF and images</source>
        <translation>PDFと画像</translation>
    </message>
    <message>
        <source>All files</source>
        <translation>すべてのファイル</translation>
    </message>
    <message>
        <source>placing a file</source>
        <translation>ファイルのセット</translation>
    </message>
    <message>
        <source>Originals: {message}</source>
        <translation>原稿: {message}</translation>
    </message>
    <message>
        <source>Originals: {name}, {pages}</source>
        <translation>原稿: {name}、{pages}</translation>
    </message>
    <message>
        <source>Originals: taken away</source>
        <translation>原稿: 取り除きました</translation>
    </message>
</context>
<context>
    <name>DockPower</name>
    <message>
        <source>job</source>
        <translation>ジョブ</translation>
    </message>
    <message>
        <source>maintenance</source>
        <translation>保守</translation>
    </message>
    <message>
        <source>Power, clock and sleep proxy</source>
        <translation>電源・時計・スリープ代理</translation>
    </message>
    <message>
        <source>Power and clock</source>
        <translation>電源と時計</translation>
    </message>
    <message>
        <source>active</source>
        <translation>稼働</translation>
    </message>
    <message>
        <source>dimmed</source>
        <translation>減光</translation>
    </message>
    <message>
        <source>sleep</source>
        <translation>スリープ</translation>
    </message>
    <message>
        <source>Power: {state} ({cause})</source>
        <translation>電源: {state}（{cause}）</translation>
    </message>
    <message>
        <source>Active · idle {idle}, dims at {at}</source>
        <translation>稼働中 · 無操作 {idle}、{at} で減光</translation>
    </message>
    <message>
        <source>Dimmed · idle {idle}, sleeps at {at}</source>
        <translation>減光中 · 無操作 {idle}、{at} でスリープ</translation>
    </message>
    <message>
        <source>Asleep · a touch, a key, a card or a person wakes it</source>
        <translation>スリープ中 · タッチ、キー、カード、人の接近で復帰</translation>
    </message>
    <message>
        <source>Sleep held off by: {holds}</source>
        <translation>スリープ保留の理由: {holds}</translation>
    </message>
    <message>
        <source>Device clock {scale} · {clock}</source>
        <translation>デバイス時計 {scale} · {clock}</translation>
    </message>
</context>
<context>
    <name>DockSensors</name>
    <message>
        <source>Presence sensor and card reader</source>
        <translation>人感センサーとカードリーダー</translation>
    </message>
    <message>
        <source>Approaches</source>
        <translation>近づく</translation>
    </message>
    <message>
        <source>A person approaches the panel ({key})</source>
        <translation>人がパネルに近づく（{key}）</translation>
    </message>
    <message>
        <source>Leaves</source>
        <translation>離れる</translation>
    </message>
    <message>
        <source>The person leaves ({key})</source>
        <translation>人が離れる（{key}）</translation>
    </message>
    <message>
        <source>A demo card, or type a card id</source>
        <translation>デモ用カード、またはカードIDを入力</translation>
    </message>
    <message>
        <source>Tap card</source>
        <translation>カードをかざす</translation>
    </message>
    <message>
        <source>Hold the card to the panel's reader</source>
        <translation>カードをパネルのリーダーにかざす</translation>
    </message>
    <message>
        <source>Presence: a person approaches</source>
        <translation>人感: 人が近づきました</translation>
    </message>
    <message>
        <source>Presence: the person left</source>
        <translation>人感: 人が離れました</translation>
    </message>
    <message>
        <source>Someone is in front</source>
        <translation>前に人がいます</translation>
    </message>
    <message>
        <source>Nobody in front</source>
        <translation>前に人はいません</translation>
    </message>
    <message>
        <source>Card reader: pick a demo card or type a card id first</source>
        <translation>カードリーダー: 先にデモ用カードを選ぶか、カードIDを入力してください</translation>
    </message>
    <message>
        <source>the card tap</source>
        <translation>カードのタッチ</translation>
    </message>
    <message>
        <source>Card {card}: {user} logged in</source>
        <translation>カード {card}: {user} がログイン</translation>
    </message>
    <message>
        <source>Card {card}: refused: {reason}</source>
        <translation>カード {card}: 拒否: {reason}</translation>
    </message>
    <message>
        <source>Session: {user} logged in</source>
        <translation>セッション: {user} がログイン</translation>
    </message>
    <message>
        <source>Session: logged out</source>
        <translation>セッション: ログアウト</translation>
    </message>
</context>
<context>
    <name>DockSessions</name>
    <message>
        <source>kept by {peer} while this device sleeps</source>
        <translation>このデバイスのスリープ中は {peer} が維持</translation>
    </message>
    <message>
        <source>kept by this device in low power (no peer accepted)</source>
        <translation>このデバイスが省電力で維持（引き受けるピアなし）</translation>
    </message>
    <message>
        <source>kept by this device</source>
        <translation>このデバイスが維持</translation>
    </message>
    <message>
        <source>keeping</source>
        <translation>維持中</translation>
    </message>
    <message>
        <source>waking</source>
        <translation>起動中</translation>
    </message>
    <message>
        <source>woken</source>
        <translation>起動済み</translation>
    </message>
    <message>
        <source>nobody</source>
        <translation>なし</translation>
    </message>
    <message>
        <source>Keeps the session of: {names}</source>
        <translation>セッションを維持している相手: {names}</translation>
    </message>
    <message>
        <source>Own session: {keeper}</source>
        <translation>自身のセッション: {keeper}</translation>
    </message>
    <message>
        <source>Peers found: {peers}</source>
        <translation>見つかったピア: {peers}</translation>
    </message>
    <message>
        <source>none yet</source>
        <translation>まだなし</translation>
    </message>
</context>
</TS>