FROM debian:12
RUN curl -sSL https://example.com/key | gpg --dearmor > /usr/share/keyrings/key.gpg
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN curl -sSL https://example.com/x | tar xz
RUN wget -q https://example.com/y
RUN ln -sf /bin/bash /bin/sh
RUN useradd -u 123456789 bigid && useradd -l -u 123456789 ok
RUN service nginx start && ps aux
RUN apt install -y nginx
USER nobody
