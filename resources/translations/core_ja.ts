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
        <source>That destination is not in the address book.</source>
        <translation>その宛先はアドレス帳にありません。</translation>
    </message>
    <message>
        <source>Enter a fax number: digits, and + * # - or spaces.</source>
        <translation>ファクス番号を入力してください (数字と + * # - またはスペース)。</translation>
    </message>
    <message>
        <source>Scan 1 to {max} pages at a time.</source>
        <translation>一度にスキャンできるのは 1～{max} ページです。</translation>
    </message>
    <message>
        <source>Put 1, 2 or 4 pages on a side.</source>
        <translation>集約は 1、2、4 ページから選んでください。</translation>
    </message>
    <message>
        <source>Place the originals first.</source>
        <translation>先に原稿をセットしてください。</translation>
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
        <source>Place the originals in the feeder or on the glass.</source>
        <translation>原稿を原稿送り装置または原稿台ガラスにセットしてください。</translation>
    </message>
    <message>
        <source>Two-sided originals go in the feeder, not on the glass.</source>
        <translation>両面原稿は原稿台ガラスではなく原稿送り装置にセットしてください。</translation>
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
    <message>
        <source>Log in to manage your jobs.</source>
        <translation>ジョブを操作するにはログインしてください。</translation>
    </message>
    <message>
        <source>This job belongs to another user. Only its owner or an administrator can change it.</source>
        <translation>このジョブは別のユーザーのものです。変更できるのは所有者か管理者だけです。</translation>
    </message>
    <message>
        <source>The outbox is full ({count} jobs waiting to be sent). Wait until the device is online, or cancel held jobs.</source>
        <translation>送信待ちのジョブ ({count}件) で送信ボックスがいっぱいです。機器がオンラインになるまで待つか、保留ジョブを中止してください。</translation>
    </message>
    <message>
        <source>The outbox has no room for this document ({mib} MiB quota). Wait until the device is online, or cancel held jobs.</source>
        <translation>送信ボックスにこの文書を保存する空きがありません (上限 {mib} MiB)。機器がオンラインになるまで待つか、保留ジョブを中止してください。</translation>
    </message>
    <message>
        <source>The device's storage is full, so the job was not kept. Cancel held jobs or free space, then try again.</source>
        <translation>機器の記憶領域がいっぱいのため、ジョブを保存できませんでした。保留ジョブを中止するか空き容量を確保してから、もう一度お試しください。</translation>
    </message>
    <message>
        <source>The job could not be stored: {error}.</source>
        <translation>ジョブを保存できませんでした: {error}。</translation>
    </message>
    <message>
        <source>The device's storage is full, so the job was not kept.</source>
        <translation>機器の記憶領域がいっぱいのため、ジョブを保存できませんでした。</translation>
    </message>
    <message>
        <source>The device sleeps when the current work is done.</source>
        <translation>現在の処理が終わると機器はスリープします。</translation>
    </message>
    <message>
        <source>You were logged out after a time without use.</source>
        <translation>一定時間操作がなかったため、ログアウトしました。</translation>
    </message>
    <message>
        <source>The server does not recognise this device (its identity was refused). Register it again with `mfp-panel run --server URL`.</source>
        <translation>サーバーがこの機器を認識しません (機器の認証が拒否されました)。`mfp-panel run --server URL` で登録し直してください。</translation>
    </message>
    <message>
        <source>The connection to the server failed: {error}. Retrying.</source>
        <translation>サーバーとの接続に失敗しました: {error}。再試行します。</translation>
    </message>
    <message>
        <source>Show a new QR code on the phone and try again.</source>
        <translation>スマートフォンに新しいQRコードを表示して、もう一度お試しください。</translation>
    </message>
    <message>
        <source>The image is too large to show.</source>
        <translation>画像が大きすぎて表示できません。</translation>
    </message>
    <message>
        <source>What was held to the camera is not an image.</source>
        <translation>カメラにかざされたものは画像ではありません。</translation>
    </message>
    <message>
        <source>The image is too large to project.</source>
        <translation>画像が大きすぎて表示できません。</translation>
    </message>
    <message>
        <source>What the phone sent is not a whole image (damaged or not a photo).</source>
        <translation>スマートフォンから送られた画像が不完全です (破損しているか、写真ではありません)。</translation>
    </message>
    <message>
        <source>No QR code found. Hold the phone flat, closer to the camera, out of glare.</source>
        <translation>QRコードが見つかりません。スマートフォンを水平にして、光の反射を避けながらカメラに近づけてください。</translation>
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
        <source>Nothing is projected: hold the phone to the camera first.</source>
        <translation>何も表示されていません。先にスマートフォンをカメラにかざしてください。</translation>
    </message>
    <message>
        <source>The phone shows no QR code: pick a photo on the phone first.</source>
        <translation>スマートフォンにQRコードが表示されていません。先にスマートフォンで写真を選んでください。</translation>
    </message>
    <message>
        <source>The phone's answer is damaged (page count).</source>
        <translation>スマートフォンの応答が壊れています (ページ数)。</translation>
    </message>
    <message>
        <source>{name} did not wake up for its work.</source>
        <translation>{name}が処理のためにスリープから復帰しませんでした。</translation>
    </message>
    <message>
        <source>Printing your 1 held job.</source>
        <translation>保留中のジョブ1件を印刷します。</translation>
    </message>
    <message>
        <source>Printing your {count} held jobs.</source>
        <translation>保留中のジョブ{count}件を印刷します。</translation>
    </message>
    <message>
        <source>the right</source>
        <translation>適切な</translation>
    </message>
    <message>
        <source>Open the front cover.</source>
        <translation>前カバーを開けてください。</translation>
    </message>
    <message>
        <source>Close the front cover.</source>
        <translation>前カバーを閉じてください。</translation>
    </message>
    <message>
        <source>Paper jam at the tray 1 feed.</source>
        <translation>トレイ1の給紙部で用紙が詰まりました。</translation>
    </message>
    <message>
        <source>Pull out tray 1.</source>
        <translation>トレイ1を引き出してください。</translation>
    </message>
    <message>
        <source>Remove the jammed paper gently.</source>
        <translation>詰まった用紙をゆっくり取り除いてください。</translation>
    </message>
    <message>
        <source>Push tray 1 back in.</source>
        <translation>トレイ1を元に戻してください。</translation>
    </message>
    <message>
        <source>Paper jam at the tray 2 feed.</source>
        <translation>トレイ2の給紙部で用紙が詰まりました。</translation>
    </message>
    <message>
        <source>Pull out tray 2.</source>
        <translation>トレイ2を引き出してください。</translation>
    </message>
    <message>
        <source>Push tray 2 back in.</source>
        <translation>トレイ2を元に戻してください。</translation>
    </message>
    <message>
        <source>Paper jam at the bypass tray.</source>
        <translation>手差しトレイで用紙が詰まりました。</translation>
    </message>
    <message>
        <source>Remove all paper from the bypass tray.</source>
        <translation>手差しトレイの用紙をすべて取り除いてください。</translation>
    </message>
    <message>
        <source>Pull the jammed sheet out straight.</source>
        <translation>詰まった用紙をまっすぐ引き抜いてください。</translation>
    </message>
    <message>
        <source>Load the paper again.</source>
        <translation>用紙をセットし直してください。</translation>
    </message>
    <message>
        <source>Paper jam in the fuser.</source>
        <translation>定着部で用紙が詰まりました。</translation>
    </message>
    <message>
        <source>Wait until the fuser has cooled: it is hot.</source>
        <translation>定着部が冷えるまでお待ちください (高温です)。</translation>
    </message>
    <message>
        <source>Lower the green fuser levers and pull the sheet out.</source>
        <translation>緑色の定着レバーを下げて、用紙を引き抜いてください。</translation>
    </message>
    <message>
        <source>Paper jam in the duplex unit.</source>
        <translation>両面ユニットで用紙が詰まりました。</translation>
    </message>
    <message>
        <source>Open the side door.</source>
        <translation>側面ドアを開けてください。</translation>
    </message>
    <message>
        <source>Remove the jammed paper from the duplex path.</source>
        <translation>両面搬送路から詰まった用紙を取り除いてください。</translation>
    </message>
    <message>
        <source>Close the side door.</source>
        <translation>側面ドアを閉じてください。</translation>
    </message>
    <message>
        <source>Paper jam at the output tray.</source>
        <translation>排紙トレイで用紙が詰まりました。</translation>
    </message>
    <message>
        <source>Pull the jammed sheet out of the output slot.</source>
        <translation>排紙口から詰まった用紙を引き抜いてください。</translation>
    </message>
    <message>
        <source>Open and close the top cover.</source>
        <translation>上カバーを開けて閉じてください。</translation>
    </message>
    <message>
        <source>The front cover is open.</source>
        <translation>前カバーが開いています。</translation>
    </message>
    <message>
        <source>The side door is open.</source>
        <translation>側面ドアが開いています。</translation>
    </message>
    <message>
        <source>The top cover is open.</source>
        <translation>上カバーが開いています。</translation>
    </message>
    <message>
        <source>Close the top cover.</source>
        <translation>上カバーを閉じてください。</translation>
    </message>
    <message>
        <source>Black toner is low.</source>
        <translation>ブラックトナーの残量が少なくなっています。</translation>
    </message>
    <message>
        <source>Have a new black cartridge ready.</source>
        <translation>新しいブラックカートリッジを用意してください。</translation>
    </message>
    <message>
        <source>Cyan toner is low.</source>
        <translation>シアントナーの残量が少なくなっています。</translation>
    </message>
    <message>
        <source>Have a new cyan cartridge ready.</source>
        <translation>新しいシアンカートリッジを用意してください。</translation>
    </message>
    <message>
        <source>Magenta toner is low.</source>
        <translation>マゼンタトナーの残量が少なくなっています。</translation>
    </message>
    <message>
        <source>Have a new magenta cartridge ready.</source>
        <translation>新しいマゼンタカートリッジを用意してください。</translation>
    </message>
    <message>
        <source>Yellow toner is low.</source>
        <translation>イエロートナーの残量が少なくなっています。</translation>
    </message>
    <message>
        <source>Have a new yellow cartridge ready.</source>
        <translation>新しいイエローカートリッジを用意してください。</translation>
    </message>
    <message>
        <source>Black toner is empty.</source>
        <translation>ブラックトナーが切れました。</translation>
    </message>
    <message>
        <source>Replace the black toner cartridge.</source>
        <translation>ブラックトナーカートリッジを交換してください。</translation>
    </message>
    <message>
        <source>Cyan toner is empty.</source>
        <translation>シアントナーが切れました。</translation>
    </message>
    <message>
        <source>Replace the cyan toner cartridge.</source>
        <translation>シアントナーカートリッジを交換してください。</translation>
    </message>
    <message>
        <source>Magenta toner is empty.</source>
        <translation>マゼンタトナーが切れました。</translation>
    </message>
    <message>
        <source>Replace the magenta toner cartridge.</source>
        <translation>マゼンタトナーカートリッジを交換してください。</translation>
    </message>
    <message>
        <source>Yellow toner is empty.</source>
        <translation>イエロートナーが切れました。</translation>
    </message>
    <message>
        <source>Replace the yellow toner cartridge.</source>
        <translation>イエロートナーカートリッジを交換してください。</translation>
    </message>
    <message>
        <source>Tray 1 is empty.</source>
        <translation>トレイ1に用紙がありません。</translation>
    </message>
    <message>
        <source>Load {media} paper in tray 1.</source>
        <translation>トレイ1に{media}用紙をセットしてください。</translation>
    </message>
    <message>
        <source>Tray 2 is empty.</source>
        <translation>トレイ2に用紙がありません。</translation>
    </message>
    <message>
        <source>Load {media} paper in tray 2.</source>
        <translation>トレイ2に{media}用紙をセットしてください。</translation>
    </message>
    <message>
        <source>The bypass tray is empty.</source>
        <translation>手差しトレイに用紙がありません。</translation>
    </message>
    <message>
        <source>Load {media} paper in the bypass tray.</source>
        <translation>手差しトレイに{media}用紙をセットしてください。</translation>
    </message>
    <message>
        <source>Tray 1 is out of {media} paper.</source>
        <translation>トレイ1の{media}用紙がありません。</translation>
    </message>
    <message>
        <source>Load {media} paper.</source>
        <translation>{media}用紙をセットしてください。</translation>
    </message>
    <message>
        <source>Tray 2 is out of {media} paper.</source>
        <translation>トレイ2の{media}用紙がありません。</translation>
    </message>
    <message>
        <source>The bypass tray is out of {media} paper.</source>
        <translation>手差しトレイの{media}用紙がありません。</translation>
    </message>
    <message>
        <source>There is no such box on this device.</source>
        <translation>このボックスはこの機器にありません。</translation>
    </message>
    <message>
        <source>You may store files only in your own box or a shared box.</source>
        <translation>ファイルを保存できるのは個人ボックスまたは共有ボックスのみです。</translation>
    </message>
    <message>
        <source>That file is no longer in the box.</source>
        <translation>そのファイルはもうボックスにありません。</translation>
    </message>
    <message>
        <source>Only the file's owner may delete it.</source>
        <translation>ファイルを削除できるのは所有者のみです。</translation>
    </message>
    <message>
        <source>That file is not in a box you may use.</source>
        <translation>そのファイルは利用できるボックスにありません。</translation>
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
        <source>That file is already coming in.</source>
        <translation>そのファイルはすでに受信中です。</translation>
    </message>
    <message>
        <source>The file that came does not match its checksum; nothing was stored.</source>
        <translation>受信したファイルのチェックサムが一致しません。保存されませんでした。</translation>
    </message>
    <message>
        <source>The file is too large for a box.</source>
        <translation>ファイルが大きすぎてボックスに保存できません。</translation>
    </message>
</context>
</TS>