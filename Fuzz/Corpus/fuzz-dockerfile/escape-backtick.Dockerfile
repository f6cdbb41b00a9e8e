# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022
SHELL ["powershell", "-Command", "$ErrorActionPreference = 'Stop';"]
WORKDIR C:\app
RUN Invoke-WebRequest https://example.com/tool.zip -OutFile tool.zip | Out-Null; `
    Expand-Archive tool.zip -DestinationPath C:\tool
COPY app.ps1 C:\app\
CMD ["powershell", "-File", "C:\\app\\app.ps1"]
