# hadolint global ignore=DL3059
FROM ubuntu
# hadolint ignore=DL3008,DL3015
RUN apt-get update && apt-get install -y vim && rm -rf /var/lib/apt/lists/*
# hadolint ignore=DL3004

RUN sudo whoami
RUN echo one
RUN echo two
# hadolint ignore=DL3003
RUN cd /tmp && ls
