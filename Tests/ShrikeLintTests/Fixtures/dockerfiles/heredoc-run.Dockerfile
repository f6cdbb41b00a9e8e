# syntax=docker/dockerfile:1
FROM debian:bookworm-slim
RUN <<EOF
apt-get update
apt-get install -y --no-install-recommends curl
rm -rf /var/lib/apt/lists/*
EOF

RUN cat <<EOT > /etc/motd
welcome
EOT

COPY <<EOF /app/config.ini
[server]
port = 8080
EOF

RUN <<"SCRIPT"
sudo apt-get install -y wget
SCRIPT

USER 65534
