<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="ja_JP">
<context>
    <name>Core</name>
    <message>
        <source>Enter your user ID and PIN.</source>
        <translation>ユーザーIDと暗証番号を入力してください。</translation>
    </message>
    <message>
        <source>User ID or PIN is too long.</source>
        <translation>ユーザーIDまたは暗証番号が長すぎます。</translation>
    </message>
    <message>
        <source>The server cannot be reached, and the administrator does not allow logging in offline. Try again when the device is online.</source>
        <translation>サーバーに接続できません。管理者がオフラインでのログインを許可していません。機器がオンラインになってからもう一度お試しください。</translation>
    </message>
    <message>
        <source>The server cannot be reached, and you have not logged in on this device while it was online, so your PIN cannot be checked here.</source>
        <translation>サーバーに接続できません。この機器でオンライン中にログインしたことがないため、ここでは暗証番号を確認できません。</translation>
    </message>
    <message>
        <source>The device is still starting. Try again in a moment.</source>
        <translation>機器を起動中です。しばらくしてからもう一度お試しください。</translation>
    </message>
    <message>
        <source>The device is still starting. Try again.</source>
        <translation>機器を起動中です。もう一度お試しください。</translation>
    </message>
    <message>
        <source>The card could not be read.</source>
        <translation>カードを読み取れませんでした。</translation>
    </message>
    <message>
        <source>This card is not registered. Log in with your user ID and PIN.</source>
        <translation>このカードは登録されていません。ユーザーIDと暗証番号でログインしてください。</translation>
    </message>
    <message>
        <source>Card login needs the server, which cannot be reached. Log in with your user ID and PIN.</source>
        <translation>カードでのログインにはサーバーが必要ですが、接続できません。ユーザーIDと暗証番号でログインしてください。</translation>
    </message>
</context>
</TS>