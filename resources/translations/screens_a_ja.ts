<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ja_JP">
<context>
    <name>Apps</name>
    <message>
        <source>Log in first.</source>
        <translation>先にログインしてください。</translation>
    </message>
    <message>
        <source>The app is no longer running.</source>
        <translation>アプリはすでに終了しています。</translation>
    </message>
    <message>
        <source>The app did not answer within {seconds} s. Try again later.</source>
        <translation>アプリが {seconds} 秒以内に応答しませんでした。しばらくしてから再試行してください。</translation>
    </message>
    <message>
        <source>The server cannot be reached: apps need the network.</source>
        <translation>サーバーに接続できません。アプリの利用にはネットワークが必要です。</translation>
    </message>
    <message>
        <source>The app did not answer in time. Try again later.</source>
        <translation>アプリが時間内に応答しませんでした。しばらくしてから再試行してください。</translation>
    </message>
    <message>
        <source>The app is not working right now. Try again later.</source>
        <translation>アプリは現在動作していません。しばらくしてから再試行してください。</translation>
    </message>
    <message>
        <source>This app is not available on the server.</source>
        <translation>このアプリはサーバーで提供されていません。</translation>
    </message>
    <message>
        <source>The app&apos;s session has ended.</source>
        <translation>アプリのセッションは終了しました。</translation>
    </message>
    <message>
        <source>{app} may not scan: refused.</source>
        <translation>{app} にはスキャンの権限がありません。拒否しました。</translation>
    </message>
    <message>
        <source>{app} may not print: refused.</source>
        <translation>{app} には印刷の権限がありません。拒否しました。</translation>
    </message>
    <message>
        <source>{app} may not read who you are: refused.</source>
        <translation>{app} にはユーザー情報を読み取る権限がありません。拒否しました。</translation>
    </message>
    <message>
        <source>picture</source>
        <translation>画像</translation>
    </message>
    <message>
        <source>This panel cannot show a “{kind}” element of this app.</source>
        <translation>このアプリの「{kind}」要素はこのパネルでは表示できません。</translation>
    </message>
    <message>
        <source>Home</source>
        <translation>ホーム</translation>
    </message>
    <message>
        <source>Apps</source>
        <translation>アプリ</translation>
    </message>
    <message>
        <source>Back to Apps</source>
        <translation>アプリ一覧に戻る</translation>
    </message>
    <message>
        <source>No apps are offered to you yet.</source>
        <translation>利用できるアプリはまだありません。</translation>
    </message>
    <message>
        <source>Offline: apps run on the server and need the network.</source>
        <translation>オフライン: アプリはサーバー上で動作するため、ネットワークが必要です。</translation>
    </message>
    <message>
        <source>Apps run on the server; the panel shows their screens.</source>
        <translation>アプリはサーバー上で動作し、その画面をパネルに表示します。</translation>
    </message>
    <message>
        <source>Opening {app}…</source>
        <translation>{app} を起動中…</translation>
    </message>
    <message>
        <source>Scanning…</source>
        <translation>スキャン中…</translation>
    </message>
    <message>
        <source>Printing…</source>
        <translation>印刷中…</translation>
    </message>
    <message>
        <source>Working…</source>
        <translation>処理中…</translation>
    </message>
    <message>
        <source>{app} sent a screen this panel cannot show.</source>
        <translation>{app} から、このパネルでは表示できない画面が送られました。</translation>
    </message>
    <message>
        <source>Nothing was changed. ({detail})</source>
        <translation>変更は行われていません。（{detail}）</translation>
    </message>
    <message>
        <source>needs the network</source>
        <translation>ネットワークが必要</translation>
    </message>
    <message>
        <source>Apps are not available yet: the device is still starting.</source>
        <translation>アプリはまだ使用できません。機器を起動しています。</translation>
    </message>
    <message>
        <source>{app} needs the network: the server is offline.</source>
        <translation>{app} にはネットワークが必要です。サーバーがオフラインです。</translation>
    </message>
</context>
<context>
    <name>Copy</name>
    <message>
        <source>A4</source>
        <translation>A4</translation>
    </message>
    <message>
        <source>A3</source>
        <translation>A3</translation>
    </message>
    <message>
        <source>Letter</source>
        <translation>レター</translation>
    </message>
    <message>
        <source>Auto</source>
        <translation>自動</translation>
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
        <source>Place originals</source>
        <translation>原稿をセットしてください</translation>
    </message>
    <message>
        <source>The copy could not start. Try again.</source>
        <translation>コピーを開始できませんでした。再試行してください。</translation>
    </message>
    <message>
        <source>Place the originals in the feeder or on the glass.</source>
        <translation>原稿を原稿送り装置または原稿台ガラスにセットしてください。</translation>
    </message>
    <message>
        <source>Auto colour</source>
        <translation>オートカラー</translation>
    </message>
    <message>
        <source>Full colour</source>
        <translation>フルカラー</translation>
    </message>
    <message>
        <source>Black &amp; white</source>
        <translation>白黒</translation>
    </message>
    <message>
        <source>1 → 1</source>
        <translation>片面→片面</translation>
    </message>
    <message>
        <source>1 → 2</source>
        <translation>片面→両面</translation>
    </message>
    <message>
        <source>2 → 2</source>
        <translation>両面→両面</translation>
    </message>
    <message>
        <source>Log in first.</source>
        <translation>先にログインしてください。</translation>
    </message>
    <message>
        <source>A copy is already running. Press Stop to end it.</source>
        <translation>コピーを実行中です。終了するにはストップを押してください。</translation>
    </message>
    <message>
        <source>Place the originals first.</source>
        <translation>先に原稿をセットしてください。</translation>
    </message>
    <message>
        <source>Two-sided originals go in the feeder, not on the glass.</source>
        <translation>両面原稿は原稿台ガラスではなく原稿送り装置にセットしてください。</translation>
    </message>
    <message>
        <source>The feeder holds {sheets} sheets: copy fewer at a time.</source>
        <translation>原稿送り装置にセットできるのは {sheets} 枚までです。枚数を減らしてコピーしてください。</translation>
    </message>
    <message>
        <source>Make 1 to {copies} copies.</source>
        <translation>部数は 1〜{copies} 部で指定してください。</translation>
    </message>
    <message>
        <source>Zoom goes from {low}% to {high}%.</source>
        <translation>倍率は {low}%〜{high}% で指定してください。</translation>
    </message>
    <message>
        <source>Put 1, 2 or 4 pages on a side.</source>
        <translation>集約は 1、2、4 ページから選んでください。</translation>
    </message>
    <message>
        <source>Log in to manage your jobs.</source>
        <translation>ジョブを操作するにはログインしてください。</translation>
    </message>
    <message>
        <source>This job belongs to another user. Only its owner or an administrator can change it.</source>
        <translation>このジョブは他のユーザーのものです。変更できるのは所有者または管理者のみです。</translation>
    </message>
    <message>
        <source>{n} page</source>
        <translation>{n} ページ</translation>
    </message>
    <message>
        <source>{n} pages</source>
        <translation>{n} ページ</translation>
    </message>
    <message>
        <source>{n} sheet</source>
        <translation>{n} 枚</translation>
    </message>
    <message>
        <source>{n} sheets</source>
        <translation>{n} 枚</translation>
    </message>
    <message>
        <source>{n} copy</source>
        <translation>{n} 部</translation>
    </message>
    <message>
        <source>{n} copies</source>
        <translation>{n} 部</translation>
    </message>
    <message>
        <source>{pages} on the glass</source>
        <translation>原稿台ガラスに {pages}</translation>
    </message>
    <message>
        <source>{pages} in the feeder</source>
        <translation>原稿送り装置に {pages}</translation>
    </message>
    <message>
        <source>Waiting for the printer…</source>
        <translation>プリンターの待機中…</translation>
    </message>
    <message>
        <source>Copying page {page} of {total}</source>
        <translation>コピー中 {page} / {total} ページ</translation>
    </message>
    <message>
        <source>Done: {copies}, {pages} on {sheets}</source>
        <translation>完了: {copies}、{pages}（用紙 {sheets}）</translation>
    </message>
    <message>
        <source>Stopped after {pages} on {sheets}</source>
        <translation>停止しました: {pages}（用紙 {sheets}）まで出力</translation>
    </message>
    <message>
        <source>Failed after {pages}: {reason}</source>
        <translation>{pages} 出力後に失敗しました: {reason}</translation>
    </message>
    <message>
        <source>1-sided</source>
        <translation>片面</translation>
    </message>
    <message>
        <source>1 → 2-sided</source>
        <translation>片面→両面</translation>
    </message>
    <message>
        <source>2 → 2-sided</source>
        <translation>両面→両面</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>しない</translation>
    </message>
    <message>
        <source>{n} on 1</source>
        <translation>{n} in 1</translation>
    </message>
    <message>
        <source>Colour</source>
        <translation>カラー</translation>
    </message>
    <message>
        <source>2-Sided</source>
        <translation>両面</translation>
    </message>
    <message>
        <source>Zoom</source>
        <translation>倍率</translation>
    </message>
    <message>
        <source>Pages per side</source>
        <translation>集約</translation>
    </message>
    <message>
        <source>Sort</source>
        <translation>ソート</translation>
    </message>
    <message>
        <source>Paper</source>
        <translation>用紙</translation>
    </message>
    <message>
        <source>Home</source>
        <translation>ホーム</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>コピー</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>完了</translation>
    </message>
    <message>
        <source>Number of copies</source>
        <translation>部数</translation>
    </message>
    <message>
        <source>Copies</source>
        <translation>部数</translation>
    </message>
    <message>
        <source>Type the number of copies</source>
        <translation>部数を入力</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>スタート</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>ストップ</translation>
    </message>
    <message>
        <source>Collated 1-2-3, 1-2-3</source>
        <translation>ソート 1-2-3, 1-2-3</translation>
    </message>
    <message>
        <source>Grouped 1-1, 2-2, 3-3</source>
        <translation>グループ 1-1, 2-2, 3-3</translation>
    </message>
    <message>
        <source>Collated</source>
        <translation>ソート</translation>
    </message>
    <message>
        <source>Grouped</source>
        <translation>グループ</translation>
    </message>
    <message>
        <source>2-sided</source>
        <translation>両面</translation>
    </message>
    <message>
        <source>{done} of {total} sheets out</source>
        <translation>{done} / {total} 枚出力</translation>
    </message>
    <message>
        <source>{copies} of {original}, {sides}.</source>
        <translation>{original} を {copies}、{sides}でコピーします。</translation>
    </message>
    <message>
        <source>Copy is not available yet: the device is still starting.</source>
        <translation>コピーはまだ使用できません。機器を起動しています。</translation>
    </message>
</context>
<context>
    <name>FilePreview</name>
    <message>
        <source>FILE</source>
        <translation>ファイル</translation>
    </message>
    <message>
        <source>No preview</source>
        <translation>プレビューなし</translation>
    </message>
</context>
<context>
    <name>Jobs</name>
    <message>
        <source>Cloud print</source>
        <translation>クラウドプリント</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>コピー</translation>
    </message>
    <message>
        <source>Print</source>
        <translation>印刷</translation>
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
        <source>Held</source>
        <translation>保留</translation>
    </message>
    <message>
        <source>Sending</source>
        <translation>送信中</translation>
    </message>
    <message>
        <source>Accepted</source>
        <translation>受付済み</translation>
    </message>
    <message>
        <source>Notified</source>
        <translation>通知済み</translation>
    </message>
    <message>
        <source>Fetching</source>
        <translation>取得中</translation>
    </message>
    <message>
        <source>Queued</source>
        <translation>待機中</translation>
    </message>
    <message>
        <source>Printing</source>
        <translation>印刷中</translation>
    </message>
    <message>
        <source>Completed</source>
        <translation>完了</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失敗</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>キャンセル済み</translation>
    </message>
    <message>
        <source>Held — sends when online</source>
        <translation>保留中 — オンライン復帰後に送信します</translation>
    </message>
    <message>
        <source>Other user</source>
        <translation>他のユーザー</translation>
    </message>
    <message>
        <source>Cancelled at the panel</source>
        <translation>操作パネルでキャンセルされました</translation>
    </message>
    <message>
        <source>Its document was lost from storage</source>
        <translation>文書が保存領域から失われました</translation>
    </message>
    <message>
        <source>Cancelled at the panel by {user}</source>
        <translation>{user} が操作パネルでキャンセルしました</translation>
    </message>
    <message>
        <source>Engine error: {error}</source>
        <translation>エンジンエラー: {error}</translation>
    </message>
    <message>
        <source>The server refused the job: {message}</source>
        <translation>サーバーがジョブを拒否しました: {message}</translation>
    </message>
    <message>
        <source>Page {page} of {total}</source>
        <translation>{page} / {total} ページ</translation>
    </message>
    <message>
        <source>Page {page}</source>
        <translation>{page} ページ目</translation>
    </message>
    <message>
        <source>unknown user</source>
        <translation>不明なユーザー</translation>
    </message>
    <message>
        <source>{n} page</source>
        <translation>{n} ページ</translation>
    </message>
    <message>
        <source>{n} pages</source>
        <translation>{n} ページ</translation>
    </message>
    <message>
        <source>{n} copies</source>
        <translation>{n} 部</translation>
    </message>
    <message>
        <source>to {destination}</source>
        <translation>宛先: {destination}</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>キャンセル</translation>
    </message>
    <message>
        <source>Home</source>
        <translation>ホーム</translation>
    </message>
    <message>
        <source>Jobs</source>
        <translation>ジョブ一覧</translation>
    </message>
    <message>
        <source>No jobs yet.
Print jobs sent to this device appear here.</source>
        <translation>ジョブはありません。
この機器に送信された印刷ジョブがここに表示されます。</translation>
    </message>
    <message>
        <source>{count} job</source>
        <translation>{count} 件</translation>
    </message>
    <message>
        <source>{count} jobs</source>
        <translation>{count} 件</translation>
    </message>
</context>
<context>
    <name>Maintenance</name>
    <message>
        <source>Paper jam</source>
        <translation>紙詰まり</translation>
    </message>
    <message>
        <source>Print quality</source>
        <translation>印刷品質</translation>
    </message>
    <message>
        <source>Scanning or fax</source>
        <translation>スキャン・ファクス</translation>
    </message>
    <message>
        <source>Network or login</source>
        <translation>ネットワーク・ログイン</translation>
    </message>
    <message>
        <source>Error message</source>
        <translation>エラーメッセージ</translation>
    </message>
    <message>
        <source>Something else</source>
        <translation>その他</translation>
    </message>
    <message>
        <source>Viewing not allowed</source>
        <translation>画面表示を許可していません</translation>
    </message>
    <message>
        <source>Viewing your screen</source>
        <translation>画面を表示中</translation>
    </message>
    <message>
        <source>Operating this panel</source>
        <translation>パネルを遠隔操作中</translation>
    </message>
    <message>
        <source>You ended remote maintenance.</source>
        <translation>リモートメンテナンスを終了しました。</translation>
    </message>
    <message>
        <source>Maintenance call cancelled.</source>
        <translation>保守呼び出しをキャンセルしました。</translation>
    </message>
    <message>
        <source>The service operator ended the session.</source>
        <translation>サービス担当者がセッションを終了しました。</translation>
    </message>
    <message>
        <source>The service operator left the session.</source>
        <translation>サービス担当者がセッションから退出しました。</translation>
    </message>
    <message>
        <source>The service operator did not join. Call again if you still need help.</source>
        <translation>サービス担当者が接続しませんでした。サポートが必要な場合は再度呼び出してください。</translation>
    </message>
    <message>
        <source>The connection to the service desk was lost.</source>
        <translation>サービス窓口との接続が切れました。</translation>
    </message>
    <message>
        <source>The service desk closed the session.</source>
        <translation>サービス窓口がセッションを終了しました。</translation>
    </message>
    <message>
        <source>A newer maintenance call from this panel replaced this one.</source>
        <translation>このパネルからの新しい保守呼び出しに置き換えられました。</translation>
    </message>
    <message>
        <source>A maintenance call is already under way.</source>
        <translation>保守呼び出しはすでに実行中です。</translation>
    </message>
    <message>
        <source>The maintenance service cannot be reached now. Try again later.</source>
        <translation>現在、保守サービスに接続できません。しばらくしてから再試行してください。</translation>
    </message>
    <message>
        <source>No maintenance session is running.</source>
        <translation>実行中の保守セッションはありません。</translation>
    </message>
    <message>
        <source>Remote maintenance ended.</source>
        <translation>リモートメンテナンスが終了しました。</translation>
    </message>
    <message>
        <source>A service operator</source>
        <translation>サービス担当者</translation>
    </message>
    <message>
        <source>Calling the service desk…</source>
        <translation>サービス窓口を呼び出し中…</translation>
    </message>
    <message>
        <source>Your request is on its way.</source>
        <translation>依頼を送信しています。</translation>
    </message>
    <message>
        <source>You are next: the first free operator takes your call.</source>
        <translation>次の順番です。手の空いた担当者が対応します。</translation>
    </message>
    <message>
        <source>1 call ahead of yours.</source>
        <translation>お客様の前に 1 件の呼び出しがあります。</translation>
    </message>
    <message>
        <source>{n} calls ahead of yours.</source>
        <translation>お客様の前に {n} 件の呼び出しがあります。</translation>
    </message>
    <message>
        <source>You are number {position} in the queue</source>
        <translation>待ち順: {position} 番目</translation>
    </message>
    <message>
        <source>{name} is taking your call</source>
        <translation>{name} が対応します</translation>
    </message>
    <message>
        <source>They will connect to this panel in a moment.</source>
        <translation>まもなくこのパネルに接続します。</translation>
    </message>
    <message>
        <source>{name} is connected</source>
        <translation>{name} が接続しました</translation>
    </message>
    <message>
        <source>Waiting for your answer</source>
        <translation>お客様の応答待ち</translation>
    </message>
    <message>
        <source>Remote maintenance ended</source>
        <translation>リモートメンテナンス終了</translation>
    </message>
    <message>
        <source>Call for maintenance</source>
        <translation>保守呼び出し</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>戻る</translation>
    </message>
    <message>
        <source>What is the problem?</source>
        <translation>どのような問題ですか？</translation>
    </message>
    <message>
        <source>Note (optional)</source>
        <translation>メモ（任意）</translation>
    </message>
    <message>
        <source>Sent with your call</source>
        <translation>呼び出しと一緒に送信される情報</translation>
    </message>
    <message>
        <source>Call service</source>
        <translation>サービスを呼び出す</translation>
    </message>
    <message>
        <source>Describe the problem</source>
        <translation>問題の内容</translation>
    </message>
    <message>
        <source>e.g. Tray 2 jams on every second page</source>
        <translation>例: トレイ2で2枚ごとに紙詰まりが発生する</translation>
    </message>
    <message>
        <source>You can keep using the panel meanwhile: the bar at the top shows the call.</source>
        <translation>その間もパネルは使用できます。呼び出しの状況は画面上部のバーに表示されます。</translation>
    </message>
    <message>
        <source>Cancel call</source>
        <translation>呼び出しを取消</translation>
    </message>
    <message>
        <source>Continue working</source>
        <translation>操作を続ける</translation>
    </message>
    <message>
        <source>Choose what the problem is.</source>
        <translation>問題の種類を選択してください。</translation>
    </message>
    <message>
        <source>Error codes: {codes}</source>
        <translation>エラーコード: {codes}</translation>
    </message>
    <message>
        <source>No error codes</source>
        <translation>エラーコードなし</translation>
    </message>
    <message>
        <source>Calling…</source>
        <translation>呼び出し中…</translation>
    </message>
    <message>
        <source>End session</source>
        <translation>セッション終了</translation>
    </message>
    <message>
        <source>Tap to add a note</source>
        <translation>タップしてメモを追加</translation>
    </message>
    <message>
        <source>Remote maintenance</source>
        <translation>リモートメンテナンス</translation>
    </message>
    <message>
        <source>Choose what they may do on this panel. You can end the session at any time with the Stop key or the End button at the top.</source>
        <translation>このパネルで許可する操作を選択してください。ストップキーまたは画面上部の終了ボタンで、いつでもセッションを終了できます。</translation>
    </message>
    <message>
        <source>Deny</source>
        <translation>拒否</translation>
    </message>
    <message>
        <source>Allow viewing</source>
        <translation>表示を許可</translation>
    </message>
    <message>
        <source>Allow operation</source>
        <translation>操作を許可</translation>
    </message>
    <message>
        <source>Keep as it is</source>
        <translation>変更しない</translation>
    </message>
    <message>
        <source>{name} from the service desk wants to connect</source>
        <translation>サービス窓口の {name} が接続を求めています</translation>
    </message>
    <message>
        <source>What may {name} do on this panel?</source>
        <translation>{name} にこのパネルで何を許可しますか？</translation>
    </message>
    <message>
        <source>No answer in {seconds} s means Deny.</source>
        <translation>{seconds} 秒以内に応答がない場合は拒否されます。</translation>
    </message>
    <message>
        <source>No answer: denied.</source>
        <translation>応答なし: 拒否しました。</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>変更</translation>
    </message>
    <message>
        <source>End</source>
        <translation>終了</translation>
    </message>
    <message>
        <source>Remote maintenance · {name}</source>
        <translation>リモートメンテナンス · {name}</translation>
    </message>
    <message>
        <source>Answer needed</source>
        <translation>応答してください</translation>
    </message>
    <message>
        <source>The call could not be made. Try again.</source>
        <translation>呼び出しできませんでした。再試行してください。</translation>
    </message>
    <message>
        <source>Printer idle</source>
        <translation>プリンター待機中</translation>
    </message>
    <message>
        <source>Printer processing</source>
        <translation>プリンター処理中</translation>
    </message>
    <message>
        <source>Printer stopped</source>
        <translation>プリンター停止中</translation>
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
        <source>login</source>
        <translation>ログイン</translation>
    </message>
    <message>
        <source>home</source>
        <translation>ホーム</translation>
    </message>
    <message>
        <source>jobs</source>
        <translation>ジョブ一覧</translation>
    </message>
    <message>
        <source>scan</source>
        <translation>スキャン</translation>
    </message>
    <message>
        <source>fax</source>
        <translation>ファクス</translation>
    </message>
    <message>
        <source>copy</source>
        <translation>コピー</translation>
    </message>
    <message>
        <source>device status</source>
        <translation>機器の状態</translation>
    </message>
    <message>
        <source>shared files</source>
        <translation>共有ファイル</translation>
    </message>
    <message>
        <source>engine fault</source>
        <translation>エンジン異常</translation>
    </message>
    <message>
        <source>Remote maintenance is not available right now.</source>
        <translation>現在、リモートメンテナンスは利用できません。</translation>
    </message>
    <message>
        <source>{n} active job</source>
        <translation>実行中のジョブ {n} 件</translation>
    </message>
    <message>
        <source>{n} active jobs</source>
        <translation>実行中のジョブ {n} 件</translation>
    </message>
    <message>
        <source>{n} held</source>
        <translation>保留 {n} 件</translation>
    </message>
    <message>
        <source>Screen: {screen} · {size}</source>
        <translation>画面: {screen} · {size}</translation>
    </message>
    <message>
        <source>{name} logged in</source>
        <translation>{name} がログイン中</translation>
    </message>
    <message>
        <source>Nobody logged in</source>
        <translation>ログイン中のユーザーなし</translation>
    </message>
    <message>
        <source>No answer: the operator may not see this panel. Tap Change to allow it.</source>
        <translation>応答がなかったため、担当者はこのパネルを表示できません。許可するには「変更」をタップしてください。</translation>
    </message>
</context>
<context>
    <name>SharedFiles</name>
    <message>
        <source>This device</source>
        <translation>この機器</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>オンライン</translation>
    </message>
    <message>
        <source>Asleep — woken to send</source>
        <translation>スリープ中 — 起動して送信します</translation>
    </message>
    <message>
        <source>Offline — files come when it is back</source>
        <translation>オフライン — 復帰後にファイルを受信します</translation>
    </message>
    <message>
        <source>Preview once the file is here</source>
        <translation>ファイル受信後にプレビューを表示します</translation>
    </message>
    <message>
        <source>No shared files yet.
Files stored in your box or a shared box on any device appear here.</source>
        <translation>共有ファイルはありません。
いずれかの機器の個人ボックスまたは共有ボックスに保存したファイルがここに表示されます。</translation>
    </message>
    <message>
        <source>Only this device&apos;s files are shown: {reason}</source>
        <translation>この機器のファイルのみ表示しています: {reason}</translation>
    </message>
    <message>
        <source>There is no such box on this device.</source>
        <translation>このボックスはこの機器にありません。</translation>
    </message>
    <message>
        <source>That file is not in a box you may use.</source>
        <translation>そのファイルは利用できるボックスにありません。</translation>
    </message>
    <message>
        <source>Only the file&apos;s owner may delete it.</source>
        <translation>ファイルを削除できるのは所有者のみです。</translation>
    </message>
    <message>
        <source>That file is already coming in.</source>
        <translation>そのファイルはすでに受信中です。</translation>
    </message>
    <message>
        <source>That file is on this device already.</source>
        <translation>そのファイルはすでにこの機器にあります。</translation>
    </message>
    <message>
        <source>The file that came does not match its checksum; nothing was stored.</source>
        <translation>受信したファイルのチェックサムが一致しません。保存されませんでした。</translation>
    </message>
    <message>
        <source>The holding device sent the wrong number of bytes; nothing was stored.</source>
        <translation>保存元の機器から送られたデータのサイズが正しくありません。保存されませんでした。</translation>
    </message>
    <message>
        <source>The transfer broke off and could not go on; what came is kept to resume later.</source>
        <translation>転送が中断され、続行できませんでした。受信済みの部分は保持し、後で再開します。</translation>
    </message>
    <message>
        <source>{device} holds that file and is offline; try again when it is back.</source>
        <translation>ファイルを保存している {device} がオフラインです。復帰後に再試行してください。</translation>
    </message>
    <message>
        <source>{device} holds that file and did not wake up; try again shortly.</source>
        <translation>ファイルを保存している {device} がスリープから復帰しませんでした。しばらくしてから再試行してください。</translation>
    </message>
    <message>
        <source>{device} did not start sending the file.</source>
        <translation>{device} がファイルの送信を開始しませんでした。</translation>
    </message>
    <message>
        <source>{device} no longer has that file; nothing was stored.</source>
        <translation>{device} にそのファイルがありません。保存されませんでした。</translation>
    </message>
    <message>
        <source>Too many transfers are under way; try again shortly.</source>
        <translation>転送が混み合っています。しばらくしてから再試行してください。</translation>
    </message>
    <message>
        <source>That box&apos;s PIN is not right.</source>
        <translation>ボックスの暗証番号が正しくありません。</translation>
    </message>
    <message>
        <source>That user is not logged in at this device.</source>
        <translation>そのユーザーはこの機器にログインしていません。</translation>
    </message>
    <message>
        <source>Users may list and fetch only their own files.</source>
        <translation>ユーザーが一覧表示・取得できるのは自分のファイルのみです。</translation>
    </message>
    <message>
        <source>Scan 1 to {pages} pages at a time.</source>
        <translation>一度にスキャンできるのは 1〜{pages} ページです。</translation>
    </message>
    <message>
        <source>You may store files only in your own box or a shared box.</source>
        <translation>ファイルを保存できるのは個人ボックスまたは共有ボックスのみです。</translation>
    </message>
    <message>
        <source>The server cannot be reached: the list needs it.</source>
        <translation>サーバーに接続できません。一覧の表示にはサーバーが必要です。</translation>
    </message>
    <message>
        <source>The server cannot be reached: try again when online.</source>
        <translation>サーバーに接続できません。オンラインになってから再試行してください。</translation>
    </message>
    <message>
        <source>The file is too large for a box.</source>
        <translation>ファイルが大きすぎてボックスに保存できません。</translation>
    </message>
    <message>
        <source>{n} page</source>
        <translation>{n} ページ</translation>
    </message>
    <message>
        <source>{n} pages</source>
        <translation>{n} ページ</translation>
    </message>
    <message>
        <source>%d %b %H:%M</source>
        <translation>%m/%d %H:%M</translation>
    </message>
    <message>
        <source>You</source>
        <translation>自分</translation>
    </message>
    <message>
        <source>User {user}</source>
        <translation>ユーザー {user}</translation>
    </message>
    <message>
        <source>The transfer failed.</source>
        <translation>転送に失敗しました。</translation>
    </message>
    <message>
        <source>Stored in your box — {size}</source>
        <translation>個人ボックスに保存しました — {size}</translation>
    </message>
    <message>
        <source>Checking the checksum…</source>
        <translation>チェックサムを確認中…</translation>
    </message>
    <message>
        <source>{done} of {total}</source>
        <translation>{done} / {total}</translation>
    </message>
    <message>
        <source>{amount} — waiting for the holding device…</source>
        <translation>{amount} — 保存元の機器を待っています…</translation>
    </message>
    <message>
        <source>My box</source>
        <translation>個人ボックス</translation>
    </message>
    <message>
        <source>Shared files</source>
        <translation>共有ファイル</translation>
    </message>
    <message>
        <source>Home</source>
        <translation>ホーム</translation>
    </message>
    <message>
        <source>Search by name</source>
        <translation>名前で検索</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>クリア</translation>
    </message>
    <message>
        <source>via server</source>
        <translation>サーバー経由</translation>
    </message>
    <message>
        <source>Print here</source>
        <translation>この機器で印刷</translation>
    </message>
    <message>
        <source>Copy to my box</source>
        <translation>ボックスにコピー</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>削除</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>戻る</translation>
    </message>
    <message>
        <source>Part of a file&apos;s name</source>
        <translation>ファイル名の一部</translation>
    </message>
    <message>
        <source>Box PIN</source>
        <translation>ボックス暗証番号</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>キャンセル</translation>
    </message>
    <message>
        <source>No file&apos;s name has “{query}”.</source>
        <translation>「{query}」を含むファイルはありません。</translation>
    </message>
    <message>
        <source>Choose a file</source>
        <translation>ファイルを選択してください</translation>
    </message>
    <message>
        <source>Its first page, who stored it and what you can do with it show here.</source>
        <translation>1ページ目のプレビュー、保存したユーザー、実行できる操作がここに表示されます。</translation>
    </message>
    <message>
        <source>In your box on this device</source>
        <translation>この機器の個人ボックス内</translation>
    </message>
    <message>
        <source>In box “{box}” on this device</source>
        <translation>この機器のボックス「{box}」内</translation>
    </message>
    <message>
        <source>In your box on {device}</source>
        <translation>{device} の個人ボックス内</translation>
    </message>
    <message>
        <source>In box “{box}” on {device}</source>
        <translation>{device} のボックス「{box}」内</translation>
    </message>
    <message>
        <source>{place} (PIN)</source>
        <translation>{place}（暗証番号あり）</translation>
    </message>
    <message>
        <source>Already in your box</source>
        <translation>すでに個人ボックスにあります</translation>
    </message>
    <message>
        <source>Only its owner may delete it</source>
        <translation>削除できるのは所有者のみです</translation>
    </message>
    <message>
        <source>Delete it at {device}</source>
        <translation>{device} で削除してください</translation>
    </message>
    <message>
        <source>No preview</source>
        <translation>プレビューなし</translation>
    </message>
    <message>
        <source>The box “{box}” on {device} has a PIN. Type it to use “{file}”.</source>
        <translation>{device} のボックス「{box}」には暗証番号が設定されています。「{file}」を使うには暗証番号を入力してください。</translation>
    </message>
    <message>
        <source>Delete “{file}”?</source>
        <translation>「{file}」を削除しますか？</translation>
    </message>
    <message>
        <source>It is removed from your box on this device. This cannot be undone.</source>
        <translation>この機器の個人ボックスから削除されます。元に戻すことはできません。</translation>
    </message>
    <message>
        <source>It is removed from the box “{box}” on this device. This cannot be undone.</source>
        <translation>この機器のボックス「{box}」から削除されます。元に戻すことはできません。</translation>
    </message>
    <message>
        <source>Shared files are not available yet: the device is still starting.</source>
        <translation>共有ファイルはまだ使用できません。機器を起動しています。</translation>
    </message>
    <message>
        <source>Printing “{file}” here.</source>
        <translation>「{file}」をこの機器で印刷します。</translation>
    </message>
    <message>
        <source>“{file}” is in your box already.</source>
        <translation>「{file}」はすでに個人ボックスにあります。</translation>
    </message>
    <message>
        <source>“{file}” is in your box now.</source>
        <translation>「{file}」を個人ボックスにコピーしました。</translation>
    </message>
    <message>
        <source>Deleted “{file}”.</source>
        <translation>「{file}」を削除しました。</translation>
    </message>
    <message>
        <source>The scan could not be stored. Try again.</source>
        <translation>スキャンを保存できませんでした。再試行してください。</translation>
    </message>
    <message>
        <source>Stored “{file}” in your box.</source>
        <translation>「{file}」を個人ボックスに保存しました。</translation>
    </message>
</context>
</TS>
