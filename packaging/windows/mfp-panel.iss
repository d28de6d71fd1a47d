; Inno Setup script around the PyInstaller bundle (build\dist\mfp-panel). NOT built or tested
; by CI here. Run through build.ps1, which passes /DAppVersion=...
#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif

[Setup]
AppId={{6C0E5F57-2D7B-4F0B-9E55-5C7F3C2D9A11}
AppName=MFP Panel
AppVersion={#AppVersion}
AppPublisher=mfp-panel
DefaultDirName={autopf}\MFP Panel
DefaultGroupName=MFP Panel
DisableProgramGroupPage=yes
OutputDir=..\..\build
OutputBaseFilename=mfp-panel-{#AppVersion}-setup
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
Compression=lzma2
SolidCompression=yes
PrivilegesRequiredOverridesAllowed=dialog
LicenseFile=..\deb\copyright

[Files]
Source: "..\..\build\dist\mfp-panel\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
; The demo prints the users' PINs and the server's address in its console window.
Name: "{autoprograms}\MFP Panel"; Filename: "{app}\mfp-panel.exe"; Parameters: "demo"
Name: "{autoprograms}\MFP Panel server"; Filename: "{app}\mfp-panel.exe"; Parameters: "server --seed-demo"

[Run]
Filename: "{app}\mfp-panel.exe"; Parameters: "demo"; Description: "Start the demo"; Flags: postinstall nowait skipifsilent
