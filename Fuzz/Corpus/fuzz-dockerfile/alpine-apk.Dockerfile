FROM alpine:3.20
RUN apk update && apk add curl bash
RUN apk add --no-cache git=2.45.2-r0 openssh-client~9.7
RUN wget https://example.com/file.tar.gz && tar xzf file.tar.gz
RUN curl -fsSL https://example.com/install.sh | sh
USER root
