FROM busybox:1.36
ENV APP_HOME=/app APP_BIN=$APP_HOME/bin
ENV PATH=/usr/local/bin:$PATH
ARG BASE=/opt
ENV DATA=${BASE}/data LOGS=${BASE}/logs
LABEL maintainer="ops@example.com" \
      org.opencontainers.image.source="https://example.com/repo" \
      Invalid_Key="x" \
      com.docker.reserved="y"
ENV DB_PASSWORD=hunter2
ARG GITHUB_TOKEN
HEALTHCHECK --interval=30s CMD wget -q -O- http://localhost/ || exit 1
USER 1000
