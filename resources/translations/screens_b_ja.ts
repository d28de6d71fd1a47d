<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="ja_JP">
<context>
    <name>Bezel</name>
    <message>
        <source>Home</source>
        <translation>ホーム</translation>
    </message>
    <message>
        <source>Login</source>
        <translation>ログイン</translation>
    </message>
    <message>
        <source>Reset</source>
        <translation>リセット</translation>
    </message>
    <message>
        <source>Energy
Saver</source>
        <translation>節電</translation>
    </message>
    <message>
        <source>Maintenance call</source>
        <translation>保守呼出</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>ストップ</translation>
    </message>
    <message>
        <source>Power</source>
        <translation>電源</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>データ</translation>
    </message>
    <message>
        <source>Attention</source>
        <translation>注意</translation>
    </message>
    <message>
        <source>Logout</source>
        <translation>ログアウト</translation>
    </message>
</context>
<context>
    <name>Compose</name>
    <message>
        <source>Home</source>
        <translation>ホーム</translation>
    </message>
    <message>
        <source>Offline — jobs are held</source>
        <translation>オフライン — ジョブは保留されます</translation>
    </message>
    <message>
        <source>Pages</source>
        <translation>ページ数</translation>
    </message>
    <message>
        <source>The job could not be kept on this device. Try again.</source>
        <translation>ジョブをこの機器に保存できませんでした。もう一度お試しください。</translation>
    </message>
    <message>
        <source>Sending to {where}…</source>
        <translation>{where}へ送信中…</translation>
    </message>
    <message>
        <source>Sent to {where}</source>
        <translation>{where}へ送信しました</translation>
    </message>
    <message>
        <source>Sending fax to {number}…</source>
        <translation>{number}へファクス送信中…</translation>
    </message>
    <message>
        <source>Fax sent to {number}</source>
        <translation>{number}へファクスを送信しました</translation>
    </message>
    <message>
        <source>the server refused it</source>
        <translation>サーバーが受け付けませんでした</translation>
    </message>
    <message>
        <source>Not sent: {reason}</source>
        <translation>送信されませんでした: {reason}</translation>
    </message>
</context>
<context>
    <name>DeviceStatus</name>
    <message>
        <source>Ready</source>
        <translation>印刷できます</translation>
    </message>
    <message>
        <source>Printing</source>
        <translation>印刷中</translation>
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
        <source>Empty</source>
        <translation>用紙なし</translation>
    </message>
    <message>
        <source>{level} of {capacity} sheets</source>
        <translation>{level} / {capacity}枚</translation>
    </message>
    <message>
        <source>{colour}: about {pages} pages left</source>
        <translation>{colour}: 残り約{pages}ページ</translation>
    </message>
    <message>
        <source>Pages</source>
        <translation>総ページ数</translation>
    </message>
    <message>
        <source>Colour</source>
        <translation>カラー</translation>
    </message>
    <message>
        <source>Black &amp; white</source>
        <translation>白黒</translation>
    </message>
    <message>
        <source>Two-sided sheets</source>
        <translation>両面 (枚)</translation>
    </message>
    <message>
        <source>Sheets</source>
        <translation>用紙 (枚)</translation>
    </message>
    <message>
        <source>Home</source>
        <translation>ホーム</translation>
    </message>
    <message>
        <source>Device status</source>
        <translation>機器の状態</translation>
    </message>
    <message>
        <source>Errors and warnings</source>
        <translation>エラーと警告</translation>
    </message>
    <message>
        <source>Paper</source>
        <translation>用紙</translation>
    </message>
    <message>
        <source>Toner</source>
        <translation>トナー</translation>
    </message>
    <message>
        <source>Counters</source>
        <translation>カウンター</translation>
    </message>
    <message>
        <source>Yours</source>
        <translation>あなた</translation>
    </message>
    <message>
        <source>{simplex} pages a minute one-sided, {duplex} two-sided</source>
        <translation>片面 {simplex}ページ/分、両面 {duplex}ページ/分</translation>
    </message>
    <message>
        <source>No errors or warnings: the device is ready.</source>
        <translation>エラーや警告はありません。印刷できます。</translation>
    </message>
</context>
<context>
    <name>DrainBanner</name>
    <message>
        <source>Sending held jobs — {done} of {total}</source>
        <translation>保留ジョブを送信中 — {done}/{total}</translation>
    </message>
</context>
<context>
    <name>Engine</name>
    <message>
        <source>Paper jam</source>
        <translation>用紙詰まり</translation>
    </message>
    <message>
        <source>Cover open</source>
        <translation>カバーが開いています</translation>
    </message>
    <message>
        <source>Door open</source>
        <translation>ドアが開いています</translation>
    </message>
    <message>
        <source>Toner empty</source>
        <translation>トナー切れ</translation>
    </message>
    <message>
        <source>Toner low</source>
        <translation>トナー残量少</translation>
    </message>
    <message>
        <source>Load paper</source>
        <translation>用紙を補給してください</translation>
    </message>
    <message>
        <source>Tray empty</source>
        <translation>トレイに用紙がありません</translation>
    </message>
    <message>
        <source>Supplies low</source>
        <translation>消耗品残量少</translation>
    </message>
    <message>
        <source>Out of paper</source>
        <translation>用紙切れ</translation>
    </message>
    <message>
        <source>Press Done when the paper is out: printing goes on from the jammed page.</source>
        <translation>用紙を取り除いたら[完了]を押してください。詰まったページから印刷を再開します。</translation>
    </message>
    <message>
        <source>This message goes once the cover is closed.</source>
        <translation>カバーを閉じるとこの表示は消えます。</translation>
    </message>
    <message>
        <source>This message goes once the door is closed.</source>
        <translation>ドアを閉じるとこの表示は消えます。</translation>
    </message>
    <message>
        <source>This message goes once a new cartridge is in.</source>
        <translation>新しいカートリッジを取り付けるとこの表示は消えます。</translation>
    </message>
    <message>
        <source>This message goes once paper is loaded.</source>
        <translation>用紙をセットするとこの表示は消えます。</translation>
    </message>
    <message>
        <source>This message goes once the problem is fixed.</source>
        <translation>問題が解決するとこの表示は消えます。</translation>
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
        <translation>手差しトレイ</translation>
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
        <source>Print in black only</source>
        <translation>ブラックのみで印刷</translation>
    </message>
    <message>
        <source>Cancel the job</source>
        <translation>ジョブを中止</translation>
    </message>
    <message>
        <source>{tray} is out of {media} paper. Load {media} paper or choose another tray.</source>
        <translation>{tray}の{media}用紙がありません。{media}用紙をセットするか、別のトレイを選んでください。</translation>
    </message>
    <message>
        <source>{tray} is out of {media} paper. Load {media} paper.</source>
        <translation>{tray}の{media}用紙がありません。{media}用紙をセットしてください。</translation>
    </message>
    <message>
        <source>{colour} toner is empty. Print the rest in black only, or cancel.</source>
        <translation>{colour}トナーが切れました。残りをブラックのみで印刷するか、中止してください。</translation>
    </message>
    <message>
        <source>Use {tray} ({media})</source>
        <translation>{tray} ({media}) を使う</translation>
    </message>
    <message>
        <source>Later</source>
        <translation>あとで</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>完了</translation>
    </message>
    <message>
        <source>Also: {reasons}</source>
        <translation>ほかに: {reasons}</translation>
    </message>
    <message>
        <source>PRINTING HAS STOPPED</source>
        <translation>印刷が停止しました</translation>
    </message>
    <message>
        <source>THE JOB IS WAITING</source>
        <translation>ジョブが待機しています</translation>
    </message>
</context>
<context>
    <name>Fax</name>
    <message>
        <source>Fax</source>
        <translation>ファクス</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>送信</translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation>送信中…</translation>
    </message>
    <message>
        <source>Fax number</source>
        <translation>ファクス番号</translation>
    </message>
    <message>
        <source>Dial a number</source>
        <translation>番号を入力</translation>
    </message>
    <message>
        <source>Enter the fax number on the keypad.</source>
        <translation>テンキーでファクス番号を入力してください。</translation>
    </message>
    <message>
        <source>Dial the number, then Send.</source>
        <translation>番号を入力して[送信]を押してください。</translation>
    </message>
    <message>
        <source>Offline: the fax waits on this device and goes when the link is back.</source>
        <translation>オフライン: ファクスはこの機器で待機し、接続が戻ると送信されます。</translation>
    </message>
</context>
<context>
    <name>Home</name>
    <message>
        <source>Print release / Jobs</source>
        <translation>プリント / ジョブ</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>コピー</translation>
    </message>
    <message>
        <source>Scan</source>
        <translation>スキャン</translation>
    </message>
    <message>
        <source>Fax</source>
        <translation>ファクス</translation>
    </message>
    <message>
        <source>Shared files</source>
        <translation>共有ファイル</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>スマートフォン</translation>
    </message>
    <message>
        <source>Apps</source>
        <translation>アプリ</translation>
    </message>
    <message>
        <source>What would you like to do?</source>
        <translation>使用する機能を選んでください。</translation>
    </message>
    <message>
        <source>Coming soon</source>
        <translation>近日対応</translation>
    </message>
    <message>
        <source>Device status</source>
        <translation>機器の状態</translation>
    </message>
    <message>
        <source>Hello, {name}</source>
        <translation>{name} さん、こんにちは</translation>
    </message>
    <message>
        <source>Hello</source>
        <translation>こんにちは</translation>
    </message>
</context>
<context>
    <name>Keyboard</name>
    <message>
        <source>Shift</source>
        <translation>シフト</translation>
    </message>
    <message>
        <source>Space</source>
        <translation>スペース</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>完了</translation>
    </message>
</context>
<context>
    <name>Keypad</name>
    <message>
        <source>Checking…</source>
        <translation>確認中…</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>クリア</translation>
    </message>
    <message>
        <source>Backspace</source>
        <translation>1文字削除</translation>
    </message>
</context>
<context>
    <name>Login</name>
    <message>
        <source>{s} s</source>
        <translation>{s}秒</translation>
    </message>
    <message>
        <source>{min} min</source>
        <translation>{min}分</translation>
    </message>
    <message>
        <source>{min} min {s} s</source>
        <translation>{min}分{s}秒</translation>
    </message>
    <message>
        <source>Too many wrong PINs. Try again in {time}.</source>
        <translation>暗証番号の誤りが多すぎます。{time}後にもう一度お試しください。</translation>
    </message>
    <message>
        <source>a {n}-minute lock</source>
        <translation>{n}分間のロック</translation>
    </message>
    <message>
        <source>a lock of {time}</source>
        <translation>{time}のロック</translation>
    </message>
    <message>
        <source>Wrong user ID or PIN. 1 attempt left before {lock}.</source>
        <translation>ユーザーIDまたは暗証番号が違います。あと1回誤ると{lock}がかかります。</translation>
    </message>
    <message>
        <source>Wrong user ID or PIN.</source>
        <translation>ユーザーIDまたは暗証番号が違います。</translation>
    </message>
    <message>
        <source>Login refused.</source>
        <translation>ログインできませんでした。</translation>
    </message>
    <message>
        <source>You were logged out: the device was offline for too long.</source>
        <translation>機器のオフラインが長く続いたため、ログアウトしました。</translation>
    </message>
    <message>
        <source>You were logged out: you logged in at another device.</source>
        <translation>別の機器でログインしたため、ログアウトしました。</translation>
    </message>
    <message>
        <source>You were logged out.</source>
        <translation>ログアウトしました。</translation>
    </message>
    <message>
        <source>You were logged out: the server no longer had your login.</source>
        <translation>サーバーにログイン情報がなくなったため、ログアウトしました。</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>言語</translation>
    </message>
    <message>
        <source>User ID</source>
        <translation>ユーザーID</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>暗証番号 (PIN)</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>ログイン</translation>
    </message>
    <message>
        <source>Enter your User ID and PIN.</source>
        <translation>ユーザーIDと暗証番号を入力してください。</translation>
    </message>
    <message>
        <source>Tap a field, then use the keypad.</source>
        <translation>入力欄をタッチして、テンキーで入力してください。</translation>
    </message>
    <message>
        <source>Enter your User ID.</source>
        <translation>ユーザーIDを入力してください。</translation>
    </message>
    <message>
        <source>Enter your PIN.</source>
        <translation>暗証番号を入力してください。</translation>
    </message>
</context>
<context>
    <name>Phone</name>
    <message>
        <source>Place your phone on the document stand, screen up, showing the QR code of a photo (phone: Photos → choose → Show QR code).</source>
        <translation>写真のQRコードを表示したスマートフォンを、画面を上にして原稿台に置いてください (スマートフォン: 写真 → 選択 → QRコードを表示)。</translation>
    </message>
    <message>
        <source>Waiting for a phone</source>
        <translation>スマートフォン待ち</translation>
    </message>
    <message>
        <source>Reading the QR code</source>
        <translation>QRコード読み取り中</translation>
    </message>
    <message>
        <source>Receiving from the phone</source>
        <translation>スマートフォンから受信中</translation>
    </message>
    <message>
        <source>Projected</source>
        <translation>表示中</translation>
    </message>
    <message>
        <source>Not projected</source>
        <translation>表示できません</translation>
    </message>
    <message>
        <source>No QR code found. Hold the phone flat, closer to the camera.</source>
        <translation>QRコードが見つかりません。スマートフォンを水平にして、カメラに近づけてください。</translation>
    </message>
    <message>
        <source>This QR code is not one for this device.</source>
        <translation>このQRコードはこの機器用ではありません。</translation>
    </message>
    <message>
        <source>The QR code or the phone's answer is damaged.</source>
        <translation>QRコードまたはスマートフォンの応答が壊れています。</translation>
    </message>
    <message>
        <source>The phone's app is too old or too new for this device.</source>
        <translation>スマートフォンのアプリのバージョンがこの機器に対応していません。</translation>
    </message>
    <message>
        <source>The QR code points outside the local network: not connected.</source>
        <translation>QRコードがローカルネットワークの外を指しているため、接続しませんでした。</translation>
    </message>
    <message>
        <source>This QR code has expired. Show a new one on the phone.</source>
        <translation>このQRコードは有効期限が切れています。スマートフォンに新しいQRコードを表示してください。</translation>
    </message>
    <message>
        <source>This QR code was used already. Show a new one on the phone.</source>
        <translation>このQRコードは使用済みです。スマートフォンに新しいQRコードを表示してください。</translation>
    </message>
    <message>
        <source>The image is too large: refused.</source>
        <translation>画像が大きすぎるため受け付けませんでした。</translation>
    </message>
    <message>
        <source>The phone did not send a photo.</source>
        <translation>スマートフォンから写真が送られてきませんでした。</translation>
    </message>
    <message>
        <source>What the phone sent is not an image.</source>
        <translation>スマートフォンから送られたものは画像ではありません。</translation>
    </message>
    <message>
        <source>The image is too large to show.</source>
        <translation>画像が大きすぎて表示できません。</translation>
    </message>
    <message>
        <source>The phone cannot be reached. Is it on the same network?</source>
        <translation>スマートフォンに接続できません。同じネットワークにつながっていますか?</translation>
    </message>
    <message>
        <source>The phone is too slow to answer. Show a new QR code and try again.</source>
        <translation>スマートフォンの応答が遅すぎます。新しいQRコードを表示してもう一度お試しください。</translation>
    </message>
    <message>
        <source>The transfer from the phone broke off. Show a new QR code and try again.</source>
        <translation>スマートフォンからの転送が途切れました。新しいQRコードを表示してもう一度お試しください。</translation>
    </message>
    <message>
        <source>The phone refused the request.</source>
        <translation>スマートフォンが要求を拒否しました。</translation>
    </message>
    <message>
        <source>Reading the QR code...</source>
        <translation>QRコードを読み取っています...</translation>
    </message>
    <message>
        <source>Receiving from the phone... {kb} KB</source>
        <translation>スマートフォンから受信中... {kb} KB</translation>
    </message>
    <message>
        <source>Connecting to the phone...</source>
        <translation>スマートフォンに接続中...</translation>
    </message>
    <message>
        <source>From the phone: {names}</source>
        <translation>スマートフォンから: {names}</translation>
    </message>
    <message>
        <source>Nothing projected yet</source>
        <translation>まだ何も表示されていません</translation>
    </message>
    <message>
        <source>Home</source>
        <translation>ホーム</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>スマートフォン</translation>
    </message>
    <message>
        <source>Camera</source>
        <translation>カメラ</translation>
    </message>
    <message>
        <source>Document stand</source>
        <translation>原稿台</translation>
    </message>
    <message>
        <source>Full screen</source>
        <translation>全画面</translation>
    </message>
    <message>
        <source>Print</source>
        <translation>印刷</translation>
    </message>
    <message>
        <source>Store</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Store in your box</source>
        <translation>自分のボックスに保存</translation>
    </message>
    <message>
        <source>Zoom out</source>
        <translation>縮小</translation>
    </message>
    <message>
        <source>Zoom in</source>
        <translation>拡大</translation>
    </message>
    <message>
        <source>Rotate</source>
        <translation>回転</translation>
    </message>
    <message>
        <source>Previous page</source>
        <translation>前のページ</translation>
    </message>
    <message>
        <source>Next page</source>
        <translation>次のページ</translation>
    </message>
    <message>
        <source>Receiving…</source>
        <translation>受信中…</translation>
    </message>
    <message>
        <source>{name} — page {page} of {count}</source>
        <translation>{name} — {page} / {count}ページ</translation>
    </message>
    <message>
        <source>Phone — full screen</source>
        <translation>スマートフォン — 全画面</translation>
    </message>
    <message>
        <source>Stand</source>
        <translation>原稿台</translation>
    </message>
    <message>
        <source>The camera is not available yet: the device is still starting.</source>
        <translation>カメラはまだ使用できません。機器を起動中です。</translation>
    </message>
    <message>
        <source>Printing 1 page from the phone — see Jobs.</source>
        <translation>スマートフォンから1ページを印刷中です — ジョブ一覧をご覧ください。</translation>
    </message>
    <message>
        <source>Printing {n} pages from the phone — see Jobs.</source>
        <translation>スマートフォンから{n}ページを印刷中です — ジョブ一覧をご覧ください。</translation>
    </message>
    <message>
        <source>Stored 1 file in your box (Shared files).</source>
        <translation>1個のファイルを自分のボックスに保存しました (共有ファイル)。</translation>
    </message>
    <message>
        <source>Stored {n} files in your box (Shared files).</source>
        <translation>{n}個のファイルを自分のボックスに保存しました (共有ファイル)。</translation>
    </message>
</context>
<context>
    <name>Scan</name>
    <message>
        <source>E-mail</source>
        <translation>メール</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>フォルダー</translation>
    </message>
    <message>
        <source>Cloud</source>
        <translation>クラウド</translation>
    </message>
    <message>
        <source>Box</source>
        <translation>ボックス</translation>
    </message>
    <message>
        <source>Store in my box</source>
        <translation>自分のボックスに保存</translation>
    </message>
    <message>
        <source>On this device, Shared files</source>
        <translation>この機器の共有ファイル</translation>
    </message>
    <message>
        <source>No destinations yet — the address book arrives when the device is online.</source>
        <translation>宛先がまだありません — 機器がオンラインになるとアドレス帳が届きます。</translation>
    </message>
    <message>
        <source>Scan {time}</source>
        <translation>スキャン {time}</translation>
    </message>
    <message>
        <source>Scan</source>
        <translation>スキャン</translation>
    </message>
    <message>
        <source>Scanning…</source>
        <translation>スキャン中…</translation>
    </message>
    <message>
        <source>Send to</source>
        <translation>宛先</translation>
    </message>
    <message>
        <source>Document name</source>
        <translation>文書名</translation>
    </message>
    <message>
        <source>Choose where to send the scan.</source>
        <translation>スキャンの送信先を選んでください。</translation>
    </message>
    <message>
        <source>Stores the scan in your box on this device: Shared files lists it.</source>
        <translation>スキャンをこの機器の自分のボックスに保存します。共有ファイルに表示されます。</translation>
    </message>
    <message>
        <source>Sends to {name}. Offline: it waits on this device and goes when the link is back.</source>
        <translation>{name}へ送信します。オフライン: この機器で待機し、接続が戻ると送信されます。</translation>
    </message>
    <message>
        <source>Sends to {name}.</source>
        <translation>{name}へ送信します。</translation>
    </message>
</context>
<context>
    <name>StatusBar</name>
    <message>
        <source>Wired LAN</source>
        <translation>有線LAN</translation>
    </message>
    <message>
        <source>Wireless LAN</source>
        <translation>無線LAN</translation>
    </message>
    <message>
        <source>Wi-Fi</source>
        <translation>Wi-Fi</translation>
    </message>
    <message>
        <source>LTE</source>
        <translation>LTE</translation>
    </message>
    <message>
        <source>Not logged in</source>
        <translation>未ログイン</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>オンライン</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>接続中…</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>オフライン</translation>
    </message>
    <message>
        <source>Connected over {network}</source>
        <translation>{network}で接続中</translation>
    </message>
    <message>
        <source>Connected over {network} (fallback)</source>
        <translation>{network}で接続中 (予備回線)</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>検索中…</translation>
    </message>
    <message>
        <source>Looking for a network to the server</source>
        <translation>サーバーにつながるネットワークを探しています</translation>
    </message>
    <message>
        <source>No network</source>
        <translation>ネットワークなし</translation>
    </message>
    <message>
        <source>No network reaches the server</source>
        <translation>サーバーにつながるネットワークがありません</translation>
    </message>
    <message>
        <source>{count} held</source>
        <translation>保留 {count}件</translation>
    </message>
</context>
<context>
    <name>Stepper</name>
    <message>
        <source>Fewer</source>
        <translation>減らす</translation>
    </message>
    <message>
        <source>More</source>
        <translation>増やす</translation>
    </message>
</context>
<context>
    <name>Window</name>
    <message>
        <source>Logged in offline — your PIN was checked on this device</source>
        <translation>オフラインでログインしました — 暗証番号はこの機器で確認しました</translation>
    </message>
    <message>
        <source>Login is not possible right now. Try again.</source>
        <translation>現在ログインできません。もう一度お試しください。</translation>
    </message>
    <message>
        <source>{device} — operation panel</source>
        <translation>{device} — 操作パネル</translation>
    </message>
    <message>
        <source>{feature} is not available yet.</source>
        <translation>{feature}はまだ使用できません。</translation>
    </message>
    <message>
        <source>This language is not installed.</source>
        <translation>この言語はインストールされていません。</translation>
    </message>
    <message>
        <source>Nothing is printing.</source>
        <translation>印刷中のジョブはありません。</translation>
    </message>
    <message>
        <source>Stopped: “{title}” was cancelled.</source>
        <translation>停止しました:「{title}」を中止しました。</translation>
    </message>
    <message>
        <source>This job can no longer be cancelled.</source>
        <translation>このジョブはもう中止できません。</translation>
    </message>
    <message>
        <source>The device still reports this problem.</source>
        <translation>機器はまだこの問題を報告しています。</translation>
    </message>
    <message>
        <source>The device is still starting. Try again in a moment.</source>
        <translation>機器を起動中です。しばらくしてからもう一度お試しください。</translation>
    </message>
</context>
</TS>