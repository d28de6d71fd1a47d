<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="ja_JP">
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
</TS>