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
    <name>DrainBanner</name>
    <message>
        <source>Sending held jobs — {done} of {total}</source>
        <translation>保留ジョブを送信中 — {done}/{total}</translation>
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