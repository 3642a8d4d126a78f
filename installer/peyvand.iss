; Windows installer for Peyvand (Inno Setup 6.3 or newer). Build the program first with
; `pyinstaller build.spec`, then compile this script: `iscc installer\peyvand.iss`.
; The setup program lands in dist\installer. This file must keep its UTF-8 mark (BOM): without it
; Inno Setup reads the Persian text as ANSI.

#define AppName "پیوند"
#define AppVersion "0.1.0"
#define AppExe "Peyvand.exe"

; Farsi.isl is a user-contributed translation (Languages\Unofficial in Inno Setup's sources) and may be
; missing from an Inno Setup install: look in both folders, else stop and say where to get it.
#if FileExists(AddBackslash(CompilerPath) + "Languages\Farsi.isl")
  #define FarsiMessages "compiler:Languages\Farsi.isl"
#elif FileExists(AddBackslash(CompilerPath) + "Languages\Unofficial\Farsi.isl")
  #define FarsiMessages "compiler:Languages\Unofficial\Farsi.isl"
#else
  #error Farsi.isl is missing: download it from https://jrsoftware.org/files/istrans/ into Inno Setup's Languages folder
#endif

[Setup]
AppId={{8E9E0AA6-7BF4-4C0B-9F6E-5D63A422983D}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher={#AppName}
VersionInfoVersion={#AppVersion}
DefaultDirName={autopf}\Peyvand
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
; Installs for the current user without administrator rights; the user may choose all users instead.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; Qt 6 runs on Windows 10 and newer.
MinVersion=10.0
WizardStyle=modern
ShowLanguageDialog=no
UninstallDisplayName={#AppName}
UninstallDisplayIcon={app}\{#AppExe}
OutputDir=..\dist\installer
OutputBaseFilename=Peyvand-Setup-{#AppVersion}
Compression=lzma2
SolidCompression=yes

[Languages]
Name: "farsi"; MessagesFile: "{#FarsiMessages}"

[CustomMessages]
RemoveData=داده‌های پیوند در این رایانه هم پاک شود؟%n%nپایگاه داده، نسخه‌های پشتیبان و تنظیمات در این پوشه‌اند:%n%1%n%nاین کار برگشت‌پذیر نیست. اگر مطمئن نیستید پاک نکنید: با نصب دوباره، برنامه همین داده‌ها را باز می‌کند.

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "..\dist\Peyvand\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{group}\{cm:UninstallProgram,{#AppName}}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[Code]
// The company's database, its backups and the settings live in the user's data folder (platformdirs:
// %LOCALAPPDATA%\Peyvand\Peyvand), not in {app}: uninstalling leaves them in place, so a reinstall or an
// upgrade finds them, unless the user asks here to remove them too (never in a silent uninstall).
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  DataDir: String;
begin
  if CurUninstallStep <> usPostUninstall then
    Exit;
  DataDir := ExpandConstant('{localappdata}\Peyvand\Peyvand');
  if not DirExists(DataDir) or UninstallSilent then
    Exit;
  if MsgBox(FmtMessage(CustomMessage('RemoveData'), [DataDir]), mbConfirmation, MB_YESNO or MB_DEFBUTTON2) = IDYES then
  begin
    DelTree(DataDir, True, True, True);
    RemoveDir(ExpandConstant('{localappdata}\Peyvand'));
  end;
end;
