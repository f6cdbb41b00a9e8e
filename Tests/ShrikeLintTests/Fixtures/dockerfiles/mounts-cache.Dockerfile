# syntax=docker/dockerfile:1.7
FROM debian:12
RUN --mount=type=cache,target=/var/cache/apt --mount=type=cache,target=/var/lib/apt \
    apt-get update && apt-get install -y --no-install-recommends build-essential=12.9
FROM python:3.12
RUN --mount=type=cache,target=/root/.cache/pip pip install pandas==2.2.2
FROM alpine:3.20
RUN --mount=type=cache,target=/var/cache/apk apk add git=2.45.2-r0
USER 1000
