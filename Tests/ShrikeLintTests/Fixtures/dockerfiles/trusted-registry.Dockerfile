FROM quay.io/prometheus/busybox:latest AS base
FROM registry.example.com/team/app:1.0
FROM base
FROM ghcr.io/owner/tool:2.0
COPY --from=base /bin/sh /bin/sh
USER 1000
