FROM debian:12-slim
ADD https://example.com/tool.tar.gz /tmp/
ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/other.tar.gz /tmp/
ADD rootfs.tar.xz /
ADD config.json /etc/app/
COPY a.txt b.txt /dest
COPY a.txt b.txt /dest/
ADD ["file one.txt", "/srv/"]
