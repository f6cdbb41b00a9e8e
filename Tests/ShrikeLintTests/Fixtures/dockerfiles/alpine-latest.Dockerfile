FROM alpine:latest
MAINTAINER someone@example.com
RUN apk add --no-cache --virtual .build-deps gcc musl-dev \
    && pip install requests \
    && apk del .build-deps
ENTRYPOINT /bin/sh
ENTRYPOINT ["/bin/sh"]
