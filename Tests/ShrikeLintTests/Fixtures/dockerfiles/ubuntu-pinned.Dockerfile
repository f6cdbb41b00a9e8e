FROM ubuntu:22.04@sha256:0bced47fffa3361afa981854fcabcd4577cd43cebbb808cea2b1f33a3dd7f508
ENV DEBIAN_FRONTEND=noninteractive
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        curl=7.81.0-1ubuntu1.16 \
        ca-certificates=20240203~22.04.1 \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home --uid 1000 app
USER app
WORKDIR /home/app
ENTRYPOINT ["/usr/bin/curl"]
CMD ["--help"]
