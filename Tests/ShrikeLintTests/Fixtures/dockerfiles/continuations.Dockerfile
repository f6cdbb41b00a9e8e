FROM debian:12
RUN set -eux; \
    # comments inside a continuation are dropped
    apt-get update; \

    apt-get install -y --no-install-recommends \
        git \
        make; \
    rm -rf /var/lib/apt/lists/*
RUN echo "a && b" 'c | d' && echo done
RUN ["/bin/bash", "-c", "echo \"quoted\" | cat"]
RUN if [ -f /etc/os-release ]; then cat /etc/os-release; fi && sudo true
RUN echo $(sudo id) && for i in 1 2; do echo "$i"; done
