<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="ja_JP">
<context>
    <name>Settings</name>
    <message>
        <source>Not tried yet</source>
        <translation>未確認</translation>
    </message>
    <message>
        <source>Reaches the server</source>
        <translation>サーバーに接続可能</translation>
    </message>
    <message>
        <source>Does not reach the server</source>
        <translation>サーバーに接続できません</translation>
    </message>
    <message>
        <source>Recovering</source>
        <translation>復旧中</translation>
    </message>
    <message>
        <source>In use</source>
        <translation>使用中</translation>
    </message>
    <message>
        <source>Off: not used</source>
        <translation>オフ（使用しない）</translation>
    </message>
    <message>
        <source>Settings are for administrators.</source>
        <translation>設定は管理者のみ使用できます。</translation>
    </message>
    <message>
        <source>Checking the server…</source>
        <translation>サーバーを確認しています…</translation>
    </message>
    <message>
        <source>Pages printed</source>
        <translation>印刷ページ数</translation>
    </message>
    <message>
        <source>Colour pages</source>
        <translation>カラーページ数</translation>
    </message>
    <message>
        <source>Black and white pages</source>
        <translation>白黒ページ数</translation>
    </message>
    <message>
        <source>Two-sided sheets</source>
        <translation>両面印刷枚数</translation>
    </message>
    <message>
        <source>Sheets</source>
        <translation>用紙枚数</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>キャンセル</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Device information</source>
        <translation>機器情報</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>機器</translation>
    </message>
    <message>
        <source>Device ID</source>
        <translation>機器ID</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名前</translation>
    </message>
    <message>
        <source>Registration</source>
        <translation>登録</translation>
    </message>
    <message>
        <source>Registered with the server</source>
        <translation>サーバーに登録済み</translation>
    </message>
    <message>
        <source>Not registered yet</source>
        <translation>未登録</translation>
    </message>
    <message>
        <source>Versions</source>
        <translation>バージョン</translation>
    </message>
    <message>
        <source>mfp-panel</source>
        <translation>mfp-panel</translation>
    </message>
    <message>
        <source>Qt</source>
        <translation>Qt</translation>
    </message>
    <message>
        <source>Python</source>
        <translation>Python</translation>
    </message>
    <message>
        <source>Server and networks</source>
        <translation>サーバーとネットワーク</translation>
    </message>
    <message>
        <source>Server URL</source>
        <translation>サーバーURL</translation>
    </message>
    <message>
        <source>Counters</source>
        <translation>カウンター</translation>
    </message>
    <message>
        <source>General</source>
        <translation>一般</translation>
    </message>
    <message>
        <source>Device name</source>
        <translation>機器名</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>言語</translation>
    </message>
    <message>
        <source>Key click sound</source>
        <translation>キー操作音</translation>
    </message>
    <message>
        <source>On</source>
        <translation>オン</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>オフ</translation>
    </message>
    <message>
        <source>Shown in the status bar and to the server's users.</source>
        <translation>ステータスバーとサーバーの利用者に表示されます。</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>サーバー</translation>
    </message>
    <message>
        <source>Checked with the server before it is saved; used from the next start.</source>
        <translation>保存前にサーバーに接続して確認します。次回起動時から使用されます。</translation>
    </message>
    <message>
        <source>Offline login</source>
        <translation>オフラインログイン</translation>
    </message>
    <message>
        <source>Set by the administrator on the server (display only).</source>
        <translation>サーバーで管理者が設定します（表示のみ）。</translation>
    </message>
    <message>
        <source>Not known yet</source>
        <translation>未取得</translation>
    </message>
    <message>
        <source>Allowed</source>
        <translation>許可</translation>
    </message>
    <message>
        <source>Not allowed</source>
        <translation>不許可</translation>
    </message>
    <message>
        <source>For example http://192.168.1.20:8080</source>
        <translation>例: http://192.168.1.20:8080</translation>
    </message>
    <message>
        <source>Move up</source>
        <translation>上へ移動</translation>
    </message>
    <message>
        <source>Move down</source>
        <translation>下へ移動</translation>
    </message>
    <message>
        <source>Networks</source>
        <translation>ネットワーク</translation>
    </message>
    <message>
        <source>The first network that reaches the server is used; the device goes back to a better one when it recovers.</source>
        <translation>サーバーに接続できる最初のネットワークを使用します。優先度の高いネットワークが復旧すると、そちらに戻ります。</translation>
    </message>
    <message>
        <source>Dim the screen after</source>
        <translation>画面を暗くするまでの時間</translation>
    </message>
    <message>
        <source>{low} to {high} seconds without use.</source>
        <translation>操作がない状態で{low}～{high}秒。</translation>
    </message>
    <message>
        <source>Sleep after</source>
        <translation>スリープまでの時間</translation>
    </message>
    <message>
        <source>{low} to {high} seconds without use, not before dimming.</source>
        <translation>操作がない状態で{low}～{high}秒（画面を暗くする時間以上）。</translation>
    </message>
    <message>
        <source>Log out after</source>
        <translation>オートログアウトまでの時間</translation>
    </message>
    <message>
        <source>0 (never) or {low} to {high} seconds without use.</source>
        <translation>0（しない）または操作がない状態で{low}～{high}秒。</translation>
    </message>
    <message>
        <source>Energy saver</source>
        <translation>省電力</translation>
    </message>
    <message>
        <source>Display</source>
        <translation>表示</translation>
    </message>
    <message>
        <source>Date format</source>
        <translation>日付の形式</translation>
    </message>
    <message>
        <source>Time format</source>
        <translation>時刻の形式</translation>
    </message>
    <message>
        <source>24-hour (14:05)</source>
        <translation>24時間制（14:05）</translation>
    </message>
    <message>
        <source>12-hour (2:05 PM)</source>
        <translation>12時間制（2:05 PM）</translation>
    </message>
    <message>
        <source>Screen size</source>
        <translation>画面サイズ</translation>
    </message>
    <message>
        <source>Enter a name.</source>
        <translation>名前を入力してください。</translation>
    </message>
    <message>
        <source>A name has at most {high} characters.</source>
        <translation>名前は{high}文字以内で入力してください。</translation>
    </message>
    <message>
        <source>A name cannot contain control characters.</source>
        <translation>名前に制御文字は使用できません。</translation>
    </message>
    <message>
        <source>Enter whole seconds, with digits only.</source>
        <translation>秒数を数字（整数）で入力してください。</translation>
    </message>
    <message>
        <source>Enter {low} to {high} seconds.</source>
        <translation>{low}～{high}秒の範囲で入力してください。</translation>
    </message>
    <message>
        <source>Enter 0 (never) or {low} to {high} seconds.</source>
        <translation>0（しない）または{low}～{high}秒の範囲で入力してください。</translation>
    </message>
    <message>
        <source>The panel dims before it sleeps: sleep after {sleep} s cannot come before dimming after {dim} s.</source>
        <translation>画面はスリープの前に暗くなります。スリープ（{sleep}秒）を画面を暗くする時間（{dim}秒）より短くすることはできません。</translation>
    </message>
    <message>
        <source>Enter a URL such as http://server:8080</source>
        <translation>http://server:8080 のような形式でURLを入力してください</translation>
    </message>
    <message>
        <source>A URL with a user name or password is not allowed: settings never hold a secret.</source>
        <translation>ユーザー名やパスワードを含むURLは使用できません（設定に秘密情報は保存しません）。</translation>
    </message>
    <message>
        <source>No server answered at this URL ({detail}): check the address.</source>
        <translation>このURLのサーバーから応答がありません（{detail}）。アドレスを確認してください。</translation>
    </message>
    <message>
        <source>Something answered at this URL, but not an mfp-panel server ({detail}).</source>
        <translation>このURLから応答がありましたが、mfp-panel サーバーではありません（{detail}）。</translation>
    </message>
    <message>
        <source>At least one network must stay enabled.</source>
        <translation>少なくとも1つのネットワークを有効にしてください。</translation>
    </message>
    <message>
        <source>This choice is not available.</source>
        <translation>この項目は選択できません。</translation>
    </message>
    <message>
        <source>Never</source>
        <translation>しない</translation>
    </message>
    <message>
        <source>{s} s</source>
        <translation>{s}秒</translation>
    </message>
    <message>
        <source>{s} s ({m} min)</source>
        <translation>{s}秒（{m}分）</translation>
    </message>
    <message>
        <source>{s} s ({m} min {r} s)</source>
        <translation>{s}秒（{m}分{r}秒）</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>設定</translation>
    </message>
    <message>
        <source>Home</source>
        <translation>ホーム</translation>
    </message>
    <message>
        <source>Administrator</source>
        <translation>管理者</translation>
    </message>
</context>
</TS>